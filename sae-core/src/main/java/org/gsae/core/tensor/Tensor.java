package org.gsae.core.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A dense, row-major vector or matrix of float32 or float64 values: the only numeric type
 * the rest of gsae sees. Values live in a plain Java array; element-wise work runs as tight
 * loops (no per-call native overhead), and matrix products go to OpenBLAS through
 * {@link Blas}. Every operation returns a new tensor and never modifies its operands,
 * except the methods whose names end in {@code InPlace}.
 *
 * <p>Shapes: rank 1 is {@code [length]}; rank 2 is {@code [rows, cols]}. Binary element-wise
 * operations require equal shapes and dtypes; "row vector" operations broadcast a
 * {@code [cols]} vector over every row of a {@code [rows, cols]} matrix, "column vector"
 * operations a {@code [rows]} vector over every column.
 */
public final class Tensor {
  private final float[] f;   // FLOAT32 storage, or null
  private final double[] d;  // FLOAT64 storage, or null
  private final int rows;
  private final int cols;
  private final int rank;

  private Tensor(float[] f, double[] d, int rank, int rows, int cols) {
    this.f = f;
    this.d = d;
    this.rank = rank;
    this.rows = rows;
    this.cols = cols;
  }

  private static Tensor wrapF(float[] f, int rank, int rows, int cols) {
    return new Tensor(f, null, rank, rows, cols);
  }

  private static Tensor wrapD(double[] d, int rank, int rows, int cols) {
    return new Tensor(null, d, rank, rows, cols);
  }

  private Tensor like(float[] nf, double[] nd) {
    return new Tensor(nf, nd, rank, rows, cols);
  }

  // ---------------------------------------------------------------- creation

  /** A zero tensor of the given shape ({@code [n]} or {@code [rows, cols]}). */
  public static Tensor zeros(DType dtype, long... shape) {
    int[] s = dims(shape);
    int n = Math.multiplyExact(s[1], s[2]);
    return dtype == DType.FLOAT32 ? wrapF(new float[n], s[0], s[1], s[2])
        : wrapD(new double[n], s[0], s[1], s[2]);
  }

  /** A tensor of the given shape filled with {@code value}. */
  public static Tensor full(DType dtype, double value, long... shape) {
    Tensor t = zeros(dtype, shape);
    if (t.f != null) {
      Arrays.fill(t.f, (float) value);
    } else {
      Arrays.fill(t.d, value);
    }
    return t;
  }

  /** Copies {@code data} (row-major) into a float32 tensor of the given shape. */
  public static Tensor of(float[] data, long... shape) {
    int[] s = dims(shape);
    checkLength(data.length, s, shape);
    return wrapF(data.clone(), s[0], s[1], s[2]);
  }

  /**
   * A float32 tensor over {@code data} itself, not a copy (for slices of parameters that a
   * caller owns: writing the tensor writes the array).
   */
  public static Tensor wrap(float[] data, long... shape) {
    int[] s = dims(shape);
    checkLength(data.length, s, shape);
    return wrapF(data, s[0], s[1], s[2]);
  }

  /** Copies {@code data[offset ..]} (row-major, as many values as the shape holds) into a float32 tensor. */
  public static Tensor ofRange(float[] data, int offset, long... shape) {
    int[] s = dims(shape);
    int len = s[1] * s[2];
    if (offset < 0 || offset + (long) len > data.length) {
      throw new IllegalArgumentException("range [" + offset + ", " + (offset + (long) len)
          + ") is outside an array of " + data.length + " values");
    }
    return wrapF(Arrays.copyOfRange(data, offset, offset + len), s[0], s[1], s[2]);
  }

  /** Copies {@code data} (row-major) into a float64 tensor of the given shape. */
  public static Tensor of(double[] data, long... shape) {
    int[] s = dims(shape);
    checkLength(data.length, s, shape);
    return wrapD(data.clone(), s[0], s[1], s[2]);
  }

  /** Copies {@code data} (row-major) into a tensor of the given dtype and shape. */
  public static Tensor of(double[] data, DType dtype, long... shape) {
    Tensor t = of(data, shape);
    return dtype == DType.FLOAT64 ? t : t.cast(DType.FLOAT32);
  }

  /** Copies a {@code [rows][cols]} array into a float32 {@code [rows, cols]} tensor. */
  public static Tensor of(float[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("need at least one row");
    }
    int c = rows[0].length;
    float[] flat = new float[Math.multiplyExact(rows.length, c)];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != c) {
        throw new IllegalArgumentException(
            "ragged rows: row 0 has " + c + " values, row " + i + " has " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * c, c);
    }
    return wrapF(flat, 2, rows.length, c);
  }

  /** {rank, rows, cols}; a vector is stored as rows = length, cols = 1. */
  private static int[] dims(long[] shape) {
    if (shape.length < 1 || shape.length > 2) {
      throw new IllegalArgumentException("rank must be 1 or 2, got shape " + Arrays.toString(shape));
    }
    for (long s : shape) {
      if (s < 0 || s > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("bad dimension in shape " + Arrays.toString(shape));
      }
    }
    return new int[] {shape.length, (int) shape[0], shape.length == 2 ? (int) shape[1] : 1};
  }

  private static void checkLength(int length, int[] s, long[] shape) {
    long n = (long) s[1] * s[2];
    if (n != length) {
      throw new IllegalArgumentException(
          "data has " + length + " values but shape " + Arrays.toString(shape) + " needs " + n);
    }
  }

  // ---------------------------------------------------------------- shape and access

  public DType dtype() {
    return f != null ? DType.FLOAT32 : DType.FLOAT64;
  }

  public int rank() {
    return rank;
  }

  public long[] shape() {
    return rank == 1 ? new long[] {rows} : new long[] {rows, cols};
  }

  /** Number of rows of a matrix (the length of a vector). */
  public long rows() {
    return rows;
  }

  /** Number of columns of a matrix; a vector has one. */
  public long cols() {
    return cols;
  }

  public long length() {
    return (long) rows * cols;
  }

  public double get(long i) {
    return f != null ? f[(int) i] : d[(int) i];
  }

  public double get(long row, long col) {
    return get(row * cols + col);
  }

  /** The only value of a one-element tensor. */
  public double scalar() {
    if (length() != 1) {
      throw new IllegalStateException("not a one-element tensor: shape " + Arrays.toString(shape()));
    }
    return get(0);
  }

  /**
   * The backing row-major array of a float32 tensor, not a copy: for hot loops that only
   * read it while nothing else writes the tensor (a training step reading its parameters).
   * Writing to it changes the tensor.
   */
  public float[] floatView() {
    if (f == null) {
      throw new IllegalStateException("floatView needs a float32 tensor, this one is float64");
    }
    return f;
  }

  /** A row-major copy of the values as float32. */
  public float[] toFloatArray() {
    if (f != null) {
      return f.clone();
    }
    float[] o = new float[d.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = (float) d[i];
    }
    return o;
  }

  /** A row-major copy of the values as float64. */
  public double[] toDoubleArray() {
    if (d != null) {
      return d.clone();
    }
    double[] o = new double[f.length];
    for (int i = 0; i < o.length; i++) {
      o[i] = f[i];
    }
    return o;
  }

  /** The same values with a new shape of equal length (row-major). */
  public Tensor reshape(long... shape) {
    int[] s = dims(shape);
    checkLength((int) length(), s, shape);
    return new Tensor(f == null ? null : f.clone(), d == null ? null : d.clone(), s[0], s[1], s[2]);
  }

  /** A copy converted to {@code dtype} (a copy even when the dtype is already right). */
  public Tensor cast(DType dtype) {
    return dtype == DType.FLOAT32 ? wrapF(toFloatArray(), rank, rows, cols)
        : wrapD(toDoubleArray(), rank, rows, cols);
  }

  public Tensor copy() {
    return like(f == null ? null : f.clone(), d == null ? null : d.clone());
  }

  /** Rows {@code [from, to)} of a matrix, as a copy. */
  public Tensor rowRange(long from, long to) {
    requireMatrix();
    if (from < 0 || to > rows || from > to) {
      throw new IllegalArgumentException("row range [" + from + ", " + to + ") of " + rows + " rows");
    }
    int a = (int) from * cols;
    int b = (int) to * cols;
    return f != null ? wrapF(Arrays.copyOfRange(f, a, b), 2, (int) (to - from), cols)
        : wrapD(Arrays.copyOfRange(d, a, b), 2, (int) (to - from), cols);
  }

  // ---------------------------------------------------------------- products

  /**
   * Matrix product {@code op(this) @ op(other)} where op transposes when the flag is set.
   * Runs as one BLAS GEMM.
   */
  public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
    sameType(other);
    requireMatrix();
    other.requireMatrix();
    int m = transposeThis ? cols : rows;
    int k = transposeThis ? rows : cols;
    int k2 = transposeOther ? other.cols : other.rows;
    int n = transposeOther ? other.rows : other.cols;
    if (k != k2) {
      throw new IllegalArgumentException("matmul inner dimensions differ: " + Arrays.toString(shape())
          + (transposeThis ? "^T" : "") + " @ " + Arrays.toString(other.shape())
          + (transposeOther ? "^T" : ""));
    }
    return f != null
        ? wrapF(Blas.sgemm(f, rows, cols, transposeThis, other.f, other.rows, other.cols, transposeOther), 2, m, n)
        : wrapD(Blas.dgemm(d, rows, cols, transposeThis, other.d, other.rows, other.cols, transposeOther), 2, m, n);
  }

  /** {@code this @ other}. */
  public Tensor matmul(Tensor other) {
    return matmul(other, false, false);
  }

  /** Vector-matrix product: {@code [k] @ op(m)} gives {@code [n]}. */
  public Tensor vecmat(Tensor m, boolean transposeM) {
    Tensor row = new Tensor(f, d, 2, 1, (int) length());
    Tensor out = row.matmul(m, false, transposeM);
    return new Tensor(out.f, out.d, 1, (int) out.cols, 1);
  }

  // ---------------------------------------------------------------- element-wise

  public Tensor add(Tensor o) {
    sameShape(o);
    return f != null ? like(FloatKernels.add(f, o.f), null) : like(null, DoubleKernels.add(d, o.d));
  }

  public Tensor sub(Tensor o) {
    sameShape(o);
    return f != null ? like(FloatKernels.sub(f, o.f), null) : like(null, DoubleKernels.sub(d, o.d));
  }

  public Tensor mul(Tensor o) {
    sameShape(o);
    return f != null ? like(FloatKernels.mul(f, o.f), null) : like(null, DoubleKernels.mul(d, o.d));
  }

  public Tensor div(Tensor o) {
    sameShape(o);
    return f != null ? like(FloatKernels.div(f, o.f), null) : like(null, DoubleKernels.div(d, o.d));
  }

  public Tensor scale(double s) {
    return f != null ? like(FloatKernels.scale(f, s), null) : like(null, DoubleKernels.scale(d, s));
  }

  public Tensor addScalar(double s) {
    return f != null ? like(FloatKernels.addScalar(f, s), null) : like(null, DoubleKernels.addScalar(d, s));
  }

  /** {@code max(x, 0)}. */
  public Tensor relu() {
    return f != null ? like(FloatKernels.relu(f), null) : like(null, DoubleKernels.relu(d));
  }

  /** Heaviside step: 1 where the value is strictly positive, else 0 (same dtype). */
  public Tensor positiveMask() {
    return f != null ? like(FloatKernels.positiveMask(f), null) : like(null, DoubleKernels.positiveMask(d));
  }

  public Tensor exp() {
    return f != null ? like(FloatKernels.exp(f), null) : like(null, DoubleKernels.exp(d));
  }

  public Tensor sqrt() {
    return f != null ? like(FloatKernels.sqrt(f), null) : like(null, DoubleKernels.sqrt(d));
  }

  public Tensor square() {
    return mul(this);
  }

  // ---------------------------------------------------------------- broadcasting

  /** {@code [rows, cols] + v[cols]} on every row. */
  public Tensor addRowVector(Tensor v) {
    return rowOp(v, 0);
  }

  /** {@code [rows, cols] - v[cols]} on every row. */
  public Tensor subRowVector(Tensor v) {
    return rowOp(v, 1);
  }

  /** {@code [rows, cols] * v[cols]} on every row (scales each column). */
  public Tensor mulRowVector(Tensor v) {
    return rowOp(v, 2);
  }

  /** {@code [rows, cols] * v[rows]} on every column (scales each row). */
  public Tensor mulColumnVector(Tensor v) {
    return colOp(v, 2);
  }

  /** {@code [rows, cols] / v[rows]} on every column (divides each row). */
  public Tensor divColumnVector(Tensor v) {
    return colOp(v, 3);
  }

  private Tensor rowOp(Tensor v, int op) {
    sameType(v);
    requireMatrix();
    if (v.length() != cols) {
      throw new IllegalArgumentException("row vector of length " + v.length() + " does not match "
          + cols + " columns");
    }
    return f != null ? like(FloatKernels.rowVector(f, v.f, rows, cols, op), null)
        : like(null, DoubleKernels.rowVector(d, v.d, rows, cols, op));
  }

  private Tensor colOp(Tensor v, int op) {
    sameType(v);
    requireMatrix();
    if (v.length() != rows) {
      throw new IllegalArgumentException("column vector of length " + v.length() + " does not match "
          + rows + " rows");
    }
    return f != null ? like(FloatKernels.columnVector(f, v.f, rows, cols, op), null)
        : like(null, DoubleKernels.columnVector(d, v.d, rows, cols, op));
  }

  // ---------------------------------------------------------------- reductions

  /** Sum over rows: {@code [rows, cols] -> [cols]}. */
  public Tensor sumRows() {
    requireMatrix();
    return f != null ? wrapF(FloatKernels.sumRows(f, rows, cols), 1, cols, 1)
        : wrapD(DoubleKernels.sumRows(d, rows, cols), 1, cols, 1);
  }

  /** Sum over columns: {@code [rows, cols] -> [rows]}. */
  public Tensor sumCols() {
    requireMatrix();
    return f != null ? wrapF(FloatKernels.sumCols(f, rows, cols, false), 1, rows, 1)
        : wrapD(DoubleKernels.sumCols(d, rows, cols, false), 1, rows, 1);
  }

  /** Euclidean norm of each row: {@code [rows, cols] -> [rows]} (float32: {@link FloatRows}). */
  public Tensor rowNorms() {
    requireMatrix();
    if (f == null) {
      return wrapD(DoubleKernels.sumCols(d, rows, cols, true), 1, rows, 1);
    }
    float[] out = new float[rows];
    inParts(rows, Math.max(1, (1 << 16) / Math.max(1, cols)),
        (from, to) -> FloatRows.rowNorms(f, cols, out, from, to));
    return wrapF(out, 1, rows, 1);
  }

  /** Sum of all values (accumulated in double). */
  public double sum() {
    return f != null ? FloatKernels.sum(f) : DoubleKernels.sum(d);
  }

  /**
   * Sum of squares of all values over fixed blocks of {@value #SUM_BLOCK} values (float32:
   * in SIMD lanes, {@link FloatRows}; float64: in double) whose sums are added in double in
   * order, so the result does not depend on how many threads computed the blocks.
   */
  public double sumSquares() {
    int n = (int) length();
    int blocks = (n + SUM_BLOCK - 1) / SUM_BLOCK;
    double[] partial = new double[blocks];
    inParts(blocks, 4, (b0, b1) -> {
      for (int b = b0; b < b1; b++) {
        int from = b * SUM_BLOCK;
        int to = Math.min(n, from + SUM_BLOCK);
        partial[b] = f != null ? FloatRows.sumSquares(f, from, to) : DoubleKernels.sumSquares(d, from, to);
      }
    });
    double s = 0;
    for (double x : partial) {
      s += x;
    }
    return s;
  }

  private static final int SUM_BLOCK = 1 << 14;

  public double maxAbs() {
    return f != null ? FloatKernels.maxAbs(f) : DoubleKernels.maxAbs(d);
  }

  /** True when every value is finite (no NaN, no infinity). */
  public boolean isFinite() {
    return f != null ? FloatKernels.isFinite(f) : DoubleKernels.isFinite(d);
  }

  // ---------------------------------------------------------------- in place

  /** {@code this += s * o}, in place; returns this. */
  public Tensor addScaledInPlace(Tensor o, double s) {
    sameShape(o);
    if (f != null) {
      FloatKernels.addScaledInPlace(f, o.f, s);
    } else {
      DoubleKernels.addScaledInPlace(d, o.d, s);
    }
    return this;
  }

  /** {@code this += o} element by element, in place; returns this. */
  public Tensor addInPlace(Tensor o) {
    sameShape(o);
    inParts((int) length(), 1 << 16, (from, to) -> {
      if (f != null) {
        for (int i = from; i < to; i++) {
          f[i] += o.f[i];
        }
      } else {
        for (int i = from; i < to; i++) {
          d[i] += o.d[i];
        }
      }
    });
    return this;
  }

  /** {@code this *= s}, in place; returns this. */
  public Tensor scaleInPlace(double s) {
    inParts((int) length(), 1 << 16, (from, to) -> {
      if (f != null) {
        FloatKernels.scaleInPlace(f, s, from, to);
      } else {
        DoubleKernels.scaleInPlace(d, s, from, to);
      }
    });
    return this;
  }

  /**
   * Adam (Kingma and Ba 2015) on {@code param} in place, with the moments {@code m} and
   * {@code v} updated in place: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
   * {@code param -= stepSize * m / (sqrt(v) * invSqrtBc2 + eps)}; fused with the passes of a
   * training step around it, one block of values at a time while it is in cache: first
   * {@code g *= gradScale} (clipping; in place where rows are projected, otherwise in
   * registers, {@code g} left as it was) and, with {@code unitRows}
   * (a matrix), each row's component along the parameter row removed from {@code g}
   * ({@link #removeRowComponentsInPlace}) before the update and the updated row renormalised
   * ({@link #normalizeRowsInPlace}) after it. Every value (every row) is computed on its own,
   * so the result is the same bits as those passes one after another over whole tensors, and
   * a tensor cut into slices updates to the same bits. All four tensors must have the same
   * shape and dtype.
   */
  public static void adamInPlace(Tensor param, Tensor m, Tensor v, Tensor g, double gradScale,
      boolean unitRows, double beta1, double beta2, double stepSize, double invSqrtBc2,
      double eps) {
    param.sameShape(m);
    param.sameShape(v);
    param.sameShape(g);
    if (unitRows) {
      param.requireMatrix();
    }
    int len = (int) param.length();
    int cols = unitRows ? param.cols : 0;
    int unit = unitRows ? Math.max(1, cols) : 1 << 12;   // values per block
    // float32: the gradient's scale is applied in Adam's registers, or in place first where
    // the projection needs the scaled rows (the same float products either way)
    VectorOps.AdamCoefficients c = param.f == null ? null : VectorOps.AdamCoefficients.of(beta1,
        beta2, stepSize, invSqrtBc2, eps, unitRows ? 1 : gradScale);
    inParts((len + unit - 1) / unit, Math.max(1, (1 << 16) / unit), (b0, b1) -> {
      for (int b = b0; b < b1; b++) {
        int from = b * unit;
        int to = Math.min(len, from + unit);
        if (param.f != null) {
          if (unitRows) {
            if (gradScale != 1) {
              FloatKernels.scaleInPlace(g.f, gradScale, from, to);
            }
            FloatRows.removeRowComponents(g.f, param.f, cols, b, b + 1);
          }
          VectorOps.adam(param.f, m.f, v.f, g.f, c, from, to);
          if (unitRows) {
            FloatRows.normalizeRows(param.f, cols, b, b + 1);
          }
        } else {
          if (gradScale != 1) {
            DoubleKernels.scaleInPlace(g.d, gradScale, from, to);
          }
          if (unitRows) {
            DoubleKernels.removeRowComponents(g.d, param.d, cols, b, b + 1);
          }
          DoubleKernels.adam(param.d, m.d, v.d, g.d, beta1, beta2, stepSize, invSqrtBc2, eps, from, to);
          if (unitRows) {
            DoubleKernels.normalizeRows(param.d, cols, b, b + 1);
          }
        }
      }
    });
  }

  /**
   * For each row j of this matrix (a gradient) and of {@code w} [same shape], in place:
   * {@code this_j -= (this_j . u_j) u_j} with {@code u_j = w_j / ||w_j||}, without the
   * temporaries of {@code this.sub(u.mulColumnVector(this.mul(u).sumCols()))} (float64: in
   * that operation order; float32: {@link FloatRows}, equal to rounding).
   */
  public Tensor removeRowComponentsInPlace(Tensor w) {
    requireMatrix();
    sameShape(w);
    inParts(rows, Math.max(1, (1 << 16) / Math.max(1, cols)), (from, to) -> {
      if (f != null) {
        FloatRows.removeRowComponents(f, w.f, cols, from, to);
      } else {
        DoubleKernels.removeRowComponents(d, w.d, cols, from, to);
      }
    });
    return this;
  }

  /** Divides each row by its L2 norm, in place ({@code divColumnVector(rowNorms())}); returns this. */
  public Tensor normalizeRowsInPlace() {
    requireMatrix();
    inParts(rows, Math.max(1, (1 << 16) / Math.max(1, cols)), (from, to) -> {
      if (f != null) {
        FloatRows.normalizeRows(f, cols, from, to);
      } else {
        DoubleKernels.normalizeRows(d, cols, from, to);
      }
    });
    return this;
  }

  /** A loop body over the index range [from, to). */
  interface RangeBody {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over [0, total) in contiguous parts of at least {@code grain} indices,
   * on the common pool. Only for element- or row-wise work, whose result cannot depend on
   * the split (copies included: {@link NativeMatrix}, {@link EncoderProduct}).
   */
  static void inParts(int total, int grain, RangeBody body) {
    int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), total / grain));
    if (parts == 1) {
      body.run(0, total);
      return;
    }
    IntStream.range(0, parts).parallel().forEach(t ->
        body.run((int) ((long) total * t / parts), (int) ((long) total * (t + 1) / parts)));
  }

  /** Sets every value to 0 (+0.0) in place; returns this. */
  public Tensor zeroInPlace() {
    inParts((int) length(), 1 << 16, (from, to) -> {
      if (f != null) {
        java.util.Arrays.fill(f, from, to, 0f);
      } else {
        java.util.Arrays.fill(d, from, to, 0.0);
      }
    });
    return this;
  }

  /** Overwrites the values with those of {@code o}; returns this. */
  public Tensor assignInPlace(Tensor o) {
    sameShape(o);
    if (f != null) {
      System.arraycopy(o.f, 0, f, 0, f.length);
    } else {
      System.arraycopy(o.d, 0, d, 0, d.length);
    }
    return this;
  }

  // ---------------------------------------------------------------- checks

  private void sameType(Tensor o) {
    if (o.dtype() != dtype()) {
      throw new IllegalArgumentException("dtype mismatch: " + dtype() + " vs " + o.dtype());
    }
  }

  private void sameShape(Tensor o) {
    sameType(o);
    if (o.rank != rank || o.rows != rows || o.cols != cols) {
      throw new IllegalArgumentException("shape mismatch: " + Arrays.toString(shape())
          + " vs " + Arrays.toString(o.shape()));
    }
  }

  private void requireMatrix() {
    if (rank != 2) {
      throw new IllegalArgumentException("need a matrix, got shape " + Arrays.toString(shape()));
    }
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape()) + " " + dtype();
  }
}
