package org.gsae.spark.harvest;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.error.Errors;

/**
 * The columns of a harvested store: {@code doc_id} (the text's 0-based index in input order),
 * {@code position} (the token's index in the model's input sequence, where {@code [CLS]} is 0),
 * {@code token}, {@code context} (the text around the token, the token between {@code [[} and
 * {@code ]]}), {@code activation array<float>}, then the input's other columns.
 */
final class HarvestSchema {
  static final List<String> ADDED = List.of("doc_id", "position", "token", "context", "activation");

  private HarvestSchema() {}

  /** The output schema; the metadata columns must not reuse an added name. */
  static StructType of(StructType metadata, String input) {
    for (StructField f : metadata.fields()) {
      if (ADDED.contains(f.name().toLowerCase(Locale.ROOT)) || f.name().equalsIgnoreCase("row_id")) {
        throw Errors.invalidInput("the input has a column '" + f.name() + "', a name the harvested "
            + "store uses (" + String.join(", ", ADDED) + ", and row_id which stores reserve)", input,
            "rename or drop that column");
      }
    }
    StructType s = new StructType()
        .add("doc_id", DataTypes.LongType, false)
        .add("position", DataTypes.IntegerType, false)
        .add("token", DataTypes.StringType, false)
        .add("context", DataTypes.StringType, false)
        .add("activation", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    for (StructField f : metadata.fields()) {
      s = s.add(f);
    }
    return s;
  }
}
