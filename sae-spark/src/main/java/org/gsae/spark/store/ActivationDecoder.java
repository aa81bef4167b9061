package org.gsae.spark.store;

import java.util.Locale;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * Reads one activation value from Spark's internal row format into {@code float[d_in]} and
 * checks it: not null, no null element, not empty, every value finite in float32, and a squared
 * norm that float32 can hold (see {@link #checkScale}). Width is
 * checked by the caller, which knows the expected {@code d_in}.
 *
 * <p>Not thread-safe: {@link #problem()} describes the last rejected value. Use one instance
 * per task. Public for the encode job, which reads rows with their metadata rather than
 * packed blocks.
 */
public final class ActivationDecoder {
  private static final int VECTOR_FIELDS = 4;

  private final ActivationType type;
  private final String column;
  private final VectorUDT vectorUdt;
  private String problem;

  /**
   * @param type   the Spark type of the activation column
   * @param column the column's name, for messages
   */
  public ActivationDecoder(ActivationType type, String column) {
    this.type = type;
    this.column = column;
    this.vectorUdt = type == ActivationType.ML_VECTOR ? new VectorUDT() : null;
  }

  /**
   * The values at {@code ordinal} as float32 {@code [width]}, or null when invalid (see
   * {@link #problem()}).
   */
  public float[] decode(InternalRow row, int ordinal) {
    if (row.isNullAt(ordinal)) {
      rejectNull();
      return null;
    }
    return switch (type) {
      case FLOAT_ARRAY -> fromFloats(row.getArray(ordinal));
      case DOUBLE_ARRAY -> fromDoubles(row.getArray(ordinal));
      case ML_VECTOR -> fromVector(row.getStruct(ordinal, VECTOR_FIELDS));
    };
  }

  /** Why the last {@link #decode} returned null. */
  public String problem() {
    return problem;
  }

  private float[] fromFloats(ArrayData array) {
    if (!checkElements(array)) {
      return null;
    }
    float[] values = array.toFloatArray();
    return acceptFloats(values, values.length) ? values : null;
  }

  /**
   * Checks {@code values[0, n)}, a row read as float32: every value finite and a squared norm
   * float32 can hold. False (see {@link #problem()}) when the row is invalid.
   */
  boolean acceptFloats(float[] values, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(values[i])) {
        reject(nonFinite(values[i], i));
        return false;
      }
    }
    return checkScale(values, n);
  }

  /**
   * A row whose squared norm exceeds float32's range (about 3.4e38, so values of about 1e19
   * and beyond) overflows every squared error, norm and loss computed from it in float32: it
   * is a data problem (the activations need rescaling), not a training one.
   */
  private boolean checkScale(float[] values, int n) {
    double sq = 0;
    int largest = 0;
    for (int i = 0; i < n; i++) {
      sq += (double) values[i] * values[i];
      if (Math.abs(values[i]) > Math.abs(values[largest])) {
        largest = i;
      }
    }
    if (sq > Float.MAX_VALUE) {
      reject("column '" + column + "' has values too large for float32 arithmetic: the row's"
          + " squared norm is " + String.format(Locale.ROOT, "%.3g", sq) + " (largest "
          + values[largest] + " at element " + largest + "), beyond float32's " + Float.MAX_VALUE
          + "; rescale the activations (for example divide every row by the store's mean norm)");
      return false;
    }
    return true;
  }

  private float[] fromDoubles(ArrayData array) {
    if (!checkElements(array)) {
      return null;
    }
    return narrow(array.toDoubleArray());
  }

  private float[] fromVector(InternalRow struct) {
    Vector vector = vectorUdt.deserialize(struct);
    if (vector.size() == 0) {
      rejectEmpty();
      return null;
    }
    return narrow(vector.toArray());
  }

  private boolean checkElements(ArrayData array) {
    int n = array.numElements();
    if (n == 0) {
      return rejectEmpty();
    }
    for (int i = 0; i < n; i++) {
      if (array.isNullAt(i)) {
        return rejectNullElement(i);
      }
    }
    return true;
  }

  private float[] narrow(double[] values) {
    float[] out = new float[values.length];
    return acceptDoubles(values, values.length, out) ? out : null;
  }

  /**
   * Narrows {@code values[0, n)}, a row read as float64, into {@code out[0, n)} and checks it
   * as {@link #acceptFloats} does, naming a value outside float32's range. False (see
   * {@link #problem()}) when the row is invalid.
   */
  boolean acceptDoubles(double[] values, int n, float[] out) {
    for (int i = 0; i < n; i++) {
      float f = (float) values[i];
      if (!Float.isFinite(f)) {
        reject(Double.isFinite(values[i])
            ? "column '" + column + "' has " + values[i] + " at element " + i
                + ", outside the float32 range"
            : nonFinite(values[i], i));
        return false;
      }
      out[i] = f;
    }
    return checkScale(out, n);
  }

  /** Records that the value is null; returns false. */
  boolean rejectNull() {
    reject("column '" + column + "' is null");
    return false;
  }

  /** Records that the value has no element; returns false. */
  boolean rejectEmpty() {
    reject(empty());
    return false;
  }

  /** Records that element {@code i} is null; returns false. */
  boolean rejectNullElement(int i) {
    reject("column '" + column + "' has a null at element " + i);
    return false;
  }

  /** Records {@code why}, a full sentence about this column's value; returns false. */
  boolean rejectBecause(String why) {
    reject("column '" + column + "' " + why);
    return false;
  }

  private String nonFinite(double v, int element) {
    String what = Double.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity";
    return "column '" + column + "' has " + what + " at element " + element;
  }

  private String empty() {
    return "column '" + column + "' is empty (0 values)";
  }

  private float[] reject(String why) {
    problem = why;
    return null;
  }
}
