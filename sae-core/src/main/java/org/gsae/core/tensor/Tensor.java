package org.gsae.core.tensor;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A dense, row-major vector or matrix of float32 or float64 values: the only numeric type
 * the rest of gsae sees. It is a thin facade over ND4J (the only package that imports
 * {@code org.nd4j}), offering exactly the operations the gated SAE needs. Every operation
 * returns a new tensor and never modifies its operands, except the methods whose names end
 * in {@code InPlace}.
 *
 * <p>Shapes: rank 1 is {@code [length]}; rank 2 is {@code [rows, cols]}. Binary element-wise
 * operations require equal shapes and dtypes; "row vector" operations broadcast a
 * {@code [cols]} vector over every row of a {@code [rows, cols]} matrix.
 */
public final class Tensor {
  private final INDArray a;

  private Tensor(INDArray a) {
    this.a = a;
  }

  // ---------------------------------------------------------------- creation

  /** A zero tensor of the given shape ({@code [n]} or {@code [rows, cols]}). */
  public static Tensor zeros(DType dtype, long... shape) {
    checkShape(shape);
    return new Tensor(Nd4j.zeros(nd(dtype), shape));
  }

  /** A tensor of the given shape filled with {@code value}. */
  public static Tensor full(DType dtype, double value, long... shape) {
    checkShape(shape);
    return new Tensor(Nd4j.valueArrayOf(shape, value, nd(dtype)));
  }

  /** Copies {@code data} (row-major) into a float32 tensor of the given shape. */
  public static Tensor of(float[] data, long... shape) {
    checkShape(shape);
    checkLength(data.length, shape);
    return new Tensor(Nd4j.createFromArray(data).reshape('c', shape));
  }

  /** Copies {@code data} (row-major) into a float64 tensor of the given shape. */
  public static Tensor of(double[] data, long... shape) {
    checkShape(shape);
    checkLength(data.length, shape);
    return new Tensor(Nd4j.createFromArray(data).reshape('c', shape));
  }

  /** Copies {@code data} (row-major) into a tensor of the given dtype and shape. */
  public static Tensor of(double[] data, DType dtype, long... shape) {
    return of(data, shape).cast(dtype);
  }

  /** Copies a {@code [rows][cols]} array into a float32 {@code [rows, cols]} tensor. */
  public static Tensor of(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("need at least one row");
    }
    int cols = rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != cols) {
        throw new IllegalArgumentException(
            "ragged rows: row 0 has " + cols + " values, row " + i + " has " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    return of(flat, rows.length, cols);
  }

  private static void checkShape(long[] shape) {
    if (shape.length < 1 || shape.length > 2) {
      throw new IllegalArgumentException("rank must be 1 or 2, got shape " + Arrays.toString(shape));
    }
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
  }

  private static void checkLength(int length, long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    if (n != length) {
      throw new IllegalArgumentException(
          "data has " + length + " values but shape " + Arrays.toString(shape) + " needs " + n);
    }
  }

  private static DataType nd(DType d) {
    return d == DType.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
  }

  // ---------------------------------------------------------------- shape and access

  public DType dtype() {
    return a.dataType() == DataType.DOUBLE ? DType.FLOAT64 : DType.FLOAT32;
  }

  public int rank() {
    return a.rank();
  }

  public long[] shape() {
    return a.shape();
  }

  /** Number of rows of a matrix (the length of a vector). */
  public long rows() {
    return a.size(0);
  }

  /** Number of columns of a matrix; a vector has one. */
  public long cols() {
    return a.rank() == 2 ? a.size(1) : 1;
  }

  public long length() {
    return a.length();
  }

  public double get(long i) {
    return a.getDouble(i);
  }

  public double get(long row, long col) {
    return a.getDouble(row, col);
  }

  /** The only value of a one-element tensor. */
  public double scalar() {
    if (a.length() != 1) {
      throw new IllegalStateException("not a one-element tensor: shape " + Arrays.toString(shape()));
    }
    return a.getDouble(0);
  }

  /** A row-major copy of the values as float32. */
  public float[] toFloatArray() {
    return flatC(DataType.FLOAT).toFloatVector();
  }

  /** A row-major copy of the values as float64. */
  public double[] toDoubleArray() {
    return flatC(DataType.DOUBLE).toDoubleVector();
  }

  // reshape('c', n) with a single long would bind to ND4J's reshape(long rows, long cols)
  // (the char widens to 99), hence the explicit long[] in every one-dimensional reshape.
  private INDArray flatC(DataType t) {
    INDArray c = a.dataType() == t ? a.dup('c') : a.castTo(t).dup('c');
    return c.reshape('c', new long[] {c.length()});
  }

  /** The same values reinterpreted with a new shape of equal length (row-major). */
  public Tensor reshape(long... shape) {
    checkShape(shape);
    checkLength((int) a.length(), shape);
    return new Tensor(a.dup('c').reshape('c', shape));
  }

  /** A copy converted to {@code dtype} (a copy even when the dtype is already right). */
  public Tensor cast(DType dtype) {
    return new Tensor(a.dataType() == nd(dtype) ? a.dup('c') : a.castTo(nd(dtype)));
  }

  public Tensor copy() {
    return new Tensor(a.dup('c'));
  }

  /** Rows {@code [from, to)} of a matrix, as a copy. */
  public Tensor rowRange(long from, long to) {
    return new Tensor(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
        org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c'));
  }

  // ---------------------------------------------------------------- products

  /**
   * Matrix product {@code op(this) @ op(other)} where op transposes when the flag is set.
   * Runs as one BLAS GEMM.
   */
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
    sameType(other);
    return new Tensor(Nd4j.gemm(a, other.a, transposeThis, transposeOther));
  }

  /** {@code this @ other}. */
  public Tensor matmul(Tensor other) {
    return matmul(other, false, false);
  }

  /** Vector-matrix product: {@code [k] @ op(m)} gives {@code [n]}. */
  public Tensor vecmat(Tensor m, boolean transposeM) {
    sameType(m);
    INDArray row = a.reshape('c', 1, a.length());
    INDArray out = Nd4j.gemm(row, m.a, false, transposeM);
    return new Tensor(out.reshape('c', new long[] {out.length()}));
  }

  // ---------------------------------------------------------------- element-wise

  public Tensor add(Tensor o) {
    sameShape(o);
    return new Tensor(a.add(o.a));
  }

  public Tensor sub(Tensor o) {
    sameShape(o);
    return new Tensor(a.sub(o.a));
  }

  public Tensor mul(Tensor o) {
    sameShape(o);
    return new Tensor(a.mul(o.a));
  }

  public Tensor div(Tensor o) {
    sameShape(o);
    return new Tensor(a.div(o.a));
  }

  public Tensor scale(double s) {
    return new Tensor(a.mul(s));
  }

  public Tensor addScalar(double s) {
    return new Tensor(a.add(s));
  }

  /** {@code max(x, 0)}. */
  public Tensor relu() {
    return new Tensor(Transforms.relu(a, true));
  }

  /** Heaviside step: 1 where the value is strictly positive, else 0 (same dtype). */
  public Tensor positiveMask() {
    return new Tensor(a.gt(0.0).castTo(a.dataType()));
  }

  public Tensor exp() {
    return new Tensor(Transforms.exp(a, true));
  }

  public Tensor sqrt() {
    return new Tensor(Transforms.sqrt(a, true));
  }

  public Tensor square() {
    return new Tensor(a.mul(a));
  }

  // ---------------------------------------------------------------- broadcasting

  /** {@code [rows, cols] + v[cols]} on every row. */
  public Tensor addRowVector(Tensor v) {
    rowVec(v);
    return new Tensor(a.addRowVector(v.a));
  }

  /** {@code [rows, cols] - v[cols]} on every row. */
  public Tensor subRowVector(Tensor v) {
    rowVec(v);
    return new Tensor(a.subRowVector(v.a));
  }

  /** {@code [rows, cols] * v[cols]} on every row (scales each column). */
  public Tensor mulRowVector(Tensor v) {
    rowVec(v);
    return new Tensor(a.mulRowVector(v.a));
  }

  /** {@code [rows, cols] * v[rows]} on every column (scales each row). */
  public Tensor mulColumnVector(Tensor v) {
    colVec(v);
    return new Tensor(a.mulColumnVector(v.a.reshape('c', v.a.length(), 1)));
  }

  /** {@code [rows, cols] / v[rows]} on every column (divides each row). */
  public Tensor divColumnVector(Tensor v) {
    colVec(v);
    return new Tensor(a.divColumnVector(v.a.reshape('c', v.a.length(), 1)));
  }

  // ---------------------------------------------------------------- reductions

  /** Sum over rows: {@code [rows, cols] -> [cols]}. */
  public Tensor sumRows() {
    requireMatrix();
    return new Tensor(a.sum(0).reshape('c', new long[] {a.size(1)}));
  }

  /** Sum over columns: {@code [rows, cols] -> [rows]}. */
  public Tensor sumCols() {
    requireMatrix();
    return new Tensor(a.sum(1).reshape('c', new long[] {a.size(0)}));
  }

  /** Euclidean norm of each row: {@code [rows, cols] -> [rows]}. */
  public Tensor rowNorms() {
    requireMatrix();
    return new Tensor(a.norm2(1).reshape('c', new long[] {a.size(0)}));
  }

  /** Sum of all values. */
  public double sum() {
    return a.sumNumber().doubleValue();
  }

  /** Sum of squares of all values. */
  public double sumSquares() {
    double n = a.norm2Number().doubleValue();
    return n * n;
  }

  public double maxAbs() {
    return a.length() == 0 ? 0.0 : a.amaxNumber().doubleValue();
  }

  /** True when every value is finite (no NaN, no infinity). */
  public boolean isFinite() {
    return !(a.isNaN().any() || a.isInfinite().any());
  }

  // ---------------------------------------------------------------- in place

  /** {@code this += s * o}, in place; returns this. */
  public Tensor addScaledInPlace(Tensor o, double s) {
    sameShape(o);
    a.addi(o.a.mul(s));
    return this;
  }

  /** {@code this *= s}, in place; returns this. */
  public Tensor scaleInPlace(double s) {
    a.muli(s);
    return this;
  }

  /** Overwrites the values with those of {@code o}; returns this. */
  public Tensor assignInPlace(Tensor o) {
    sameShape(o);
    a.assign(o.a);
    return this;
  }

  // ---------------------------------------------------------------- checks

  private void sameType(Tensor o) {
    if (o.a.dataType() != a.dataType()) {
      throw new IllegalArgumentException("dtype mismatch: " + dtype() + " vs " + o.dtype());
    }
  }

  private void sameShape(Tensor o) {
    sameType(o);
    if (!Arrays.equals(a.shape(), o.a.shape())) {
      throw new IllegalArgumentException("shape mismatch: " + Arrays.toString(a.shape())
          + " vs " + Arrays.toString(o.a.shape()));
    }
  }

  private void requireMatrix() {
    if (a.rank() != 2) {
      throw new IllegalArgumentException("need a matrix, got shape " + Arrays.toString(shape()));
    }
  }

  private void rowVec(Tensor v) {
    sameType(v);
    requireMatrix();
    if (v.a.length() != a.size(1)) {
      throw new IllegalArgumentException("row vector of length " + v.a.length()
          + " does not match " + a.size(1) + " columns");
    }
  }

  private void colVec(Tensor v) {
    sameType(v);
    requireMatrix();
    if (v.a.length() != a.size(0)) {
      throw new IllegalArgumentException("column vector of length " + v.a.length()
          + " does not match " + a.size(0) + " rows");
    }
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape()) + " " + dtype();
  }
}
