package org.gsae.spark.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/** Spark type helpers: readable names that ignore nullability, and fully nullable copies. */
final class SparkTypes {
  private SparkTypes() {}

  /**
   * A readable type name that ignores nullability. Writers disagree on nullability (Parquet
   * round trips turn {@code containsNull=false} into true), so two files whose columns differ
   * only in it hold the same data and must compare equal.
   */
  static String describe(DataType type) {
    if (type instanceof VectorUDT) {
      return "vector";
    }
    if (type instanceof UserDefinedType<?> udt) {
      return "udt<" + udt.getClass().getName() + ">";
    }
    if (type instanceof ArrayType array) {
      return "array<" + describe(array.elementType()) + ">";
    }
    if (type instanceof MapType map) {
      return "map<" + describe(map.keyType()) + "," + describe(map.valueType()) + ">";
    }
    if (type instanceof StructType struct) {
      List<String> fields = new ArrayList<>();
      for (StructField f : struct.fields()) {
        fields.add(f.name() + ":" + describe(f.dataType()));
      }
      return "struct<" + String.join(",", fields) + ">";
    }
    return type.simpleString();
  }

  /**
   * The same type with every field, element and value nullable. Reading with it is safe
   * whichever file's nullability Spark would otherwise have picked.
   */
  static DataType nullable(DataType type) {
    if (type instanceof ArrayType array) {
      return new ArrayType(nullable(array.elementType()), true);
    }
    if (type instanceof MapType map) {
      return new MapType(nullable(map.keyType()), nullable(map.valueType()), true);
    }
    if (type instanceof StructType struct) {
      StructField[] fields = new StructField[struct.fields().length];
      for (int i = 0; i < fields.length; i++) {
        StructField f = struct.fields()[i];
        fields[i] = new StructField(f.name(), nullable(f.dataType()), true, f.metadata());
      }
      return new StructType(fields);
    }
    return type;
  }
}
