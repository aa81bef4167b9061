package org.gsae.spark.harvest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.gsae.spark.output.OutputColumns;

/** Texts to run a model over: lines of text files, or a Parquet string column. */
public final class TextInput {
  private TextInput() {}

  /**
   * The texts as a DataFrame whose first column is the text (a string, possibly null) and whose
   * other columns are the input's other columns (none for text files).
   *
   * @param path       text files (file, directory or glob), or Parquet when {@code textColumn} is set
   * @param textColumn the Parquet string column holding the texts, or null for text files
   */
  public static Dataset<Row> read(SparkSession spark, String path, String textColumn) {
    Path in = new Path(path);
    try {
      FileStatus[] found = HadoopFiles.fileSystem(in, spark.sparkContext().hadoopConfiguration())
          .globStatus(in);
      if (found == null || found.length == 0) {
        throw Errors.invalidInput("no such file or directory", path,
            "pass text files (a text per line) or Parquet with --text-column");
      }
    } catch (IOException e) {
      throw Errors.io("listing the input", path, e);
    }
    if (textColumn == null) {
      return spark.read().text(path);
    }
    Dataset<Row> p = spark.read().parquet(path);
    StructField f = Arrays.stream(p.schema().fields()).filter(x -> x.name().equals(textColumn))
        .findFirst().orElseThrow(() -> Errors.invalidInput("no column '" + textColumn
            + "' (columns: " + String.join(", ", p.schema().fieldNames()) + ")", path,
            "pass the string column holding the texts with --text-column"));
    if (!f.dataType().equals(DataTypes.StringType)) {
      throw Errors.invalidInput("column '" + textColumn + "' is " + f.dataType().simpleString()
          + ", expected string", path, "pass the string column holding the texts");
    }
    List<Column> cols = new ArrayList<>();
    cols.add(OutputColumns.literal(textColumn));
    for (String n : p.schema().fieldNames()) {
      if (!n.equals(textColumn)) {
        cols.add(OutputColumns.literal(n));
      }
    }
    return p.select(cols.toArray(new Column[0]));
  }

  /** The first {@code max} non-null texts, in input order. */
  public static List<String> first(SparkSession spark, String path, String textColumn, int max) {
    List<String> out = new ArrayList<>();
    for (Row r : read(spark, path, textColumn).limit(max).collectAsList()) {
      if (!r.isNullAt(0) && !r.getString(0).isBlank()) {
        out.add(r.getString(0));
      }
    }
    return out;
  }
}
