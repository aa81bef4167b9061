package org.gsae.spark.store;

import java.util.Optional;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The accepted Spark types of the activation column (docs/architecture.md §4). Every type is read
 * as float32: {@code array<double>} and ML vectors are narrowed to float, and a double outside
 * the float range is rejected as invalid rather than turned into infinity.
 */
public enum ActivationType {
  /** {@code array<float>}: read as is. */
  FLOAT_ARRAY("array<float>"),
  /** {@code array<double>}: narrowed to float32. */
  DOUBLE_ARRAY("array<double>"),
  /** Spark ML {@code org.apache.spark.ml.linalg.Vector} (dense or sparse): narrowed to float32. */
  ML_VECTOR("vector (Spark ML org.apache.spark.ml.linalg.VectorUDT)");

  private final String description;

  ActivationType(String description) {
    this.description = description;
  }

  /** The type as a user would name it in a schema. */
  public String description() {
    return description;
  }

  /** The activation type of a Spark column type, or empty when the type is not accepted. */
  public static Optional<ActivationType> of(DataType type) {
    if (type instanceof ArrayType array) {
      if (array.elementType().equals(DataTypes.FloatType)) {
        return Optional.of(FLOAT_ARRAY);
      }
      if (array.elementType().equals(DataTypes.DoubleType)) {
        return Optional.of(DOUBLE_ARRAY);
      }
      return Optional.empty();
    }
    return type instanceof VectorUDT ? Optional.of(ML_VECTOR) : Optional.empty();
  }

  /** All accepted types, for error messages. */
  public static String accepted() {
    return FLOAT_ARRAY.description + ", " + DOUBLE_ARRAY.description + " or " + ML_VECTOR.description;
  }
}
