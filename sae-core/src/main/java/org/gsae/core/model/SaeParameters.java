package org.gsae.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * The six tensors of a gated SAE, named and shaped as SAELens names them (n = {@code d_in},
 * m = {@code d_sae}):
 *
 * <ul>
 *   <li>{@code W_enc [n, m]}: gate weights; the magnitude path uses {@code W_enc * exp(r_mag)}
 *   <li>{@code b_gate [m]}, {@code r_mag [m]}, {@code b_mag [m]}
 *   <li>{@code W_dec [m, n]}: one decoder row per feature
 *   <li>{@code b_dec [n]}
 * </ul>
 *
 * The same record also carries gradients and optimiser moments (same names and shapes).
 * Immutable as a record; the tensors themselves are only changed by optimisers, in place.
 */
public record SaeParameters(Tensor wEnc, Tensor bGate, Tensor rMag, Tensor bMag, Tensor wDec,
    Tensor bDec) {

  /** SAELens tensor names, in the canonical order used for flattening and files. */
  public static final List<String> NAMES =
      List.of("W_enc", "b_gate", "r_mag", "b_mag", "W_dec", "b_dec");

  public SaeParameters {
    long n = wEnc.rows();
    long m = wEnc.cols();
    check("W_enc", wEnc, 2, n, m);
    check("b_gate", bGate, 1, m, 1);
    check("r_mag", rMag, 1, m, 1);
    check("b_mag", bMag, 1, m, 1);
    check("W_dec", wDec, 2, m, n);
    check("b_dec", bDec, 1, n, 1);
    DType t = wEnc.dtype();
    for (Tensor x : List.of(bGate, rMag, bMag, wDec, bDec)) {
      if (x.dtype() != t) {
        throw new IllegalArgumentException("all parameters must share one dtype, W_enc is " + t
            + " but another tensor is " + x.dtype());
      }
    }
  }

  private static void check(String name, Tensor t, int rank, long d0, long d1) {
    boolean ok = t.rank() == rank && t.rows() == d0 && (rank == 1 || t.cols() == d1);
    if (!ok) {
      String want = rank == 1 ? "[" + d0 + "]" : "[" + d0 + ", " + d1 + "]";
      throw new IllegalArgumentException(name + " must have shape " + want + " (from W_enc "
          + "[d_in, d_sae]), got " + Arrays.toString(t.shape()));
    }
  }

  /** All-zero parameters (for gradients and optimiser moments). */
  public static SaeParameters zeros(int dIn, int dSae, DType dtype) {
    return new SaeParameters(Tensor.zeros(dtype, dIn, dSae), Tensor.zeros(dtype, dSae),
        Tensor.zeros(dtype, dSae), Tensor.zeros(dtype, dSae), Tensor.zeros(dtype, dSae, dIn),
        Tensor.zeros(dtype, dIn));
  }

  /** {@code d_in} (n). */
  public int dIn() {
    return (int) wEnc.rows();
  }

  /** {@code d_sae} (m). */
  public int dSae() {
    return (int) wEnc.cols();
  }

  public DType dtype() {
    return wEnc.dtype();
  }

  /** The tensors in {@link #NAMES} order. */
  public List<Tensor> tensors() {
    return List.of(wEnc, bGate, rMag, bMag, wDec, bDec);
  }

  /** The tensor with SAELens name {@code name}. */
  public Tensor get(String name) {
    int i = NAMES.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown parameter '" + name + "', expected one of " + NAMES);
    }
    return tensors().get(i);
  }

  /** Builds parameters from tensors given in {@link #NAMES} order. */
  public static SaeParameters fromList(List<Tensor> t) {
    if (t.size() != 6) {
      throw new IllegalArgumentException("need 6 tensors, got " + t.size());
    }
    return new SaeParameters(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
  }

  public SaeParameters map(UnaryOperator<Tensor> f) {
    return fromList(tensors().stream().map(f).toList());
  }

  public SaeParameters zip(SaeParameters o, BinaryOperator<Tensor> f) {
    List<Tensor> a = tensors();
    List<Tensor> b = o.tensors();
    return fromList(IntStream.range(0, 6).mapToObj(i -> f.apply(a.get(i), b.get(i))).toList());
  }

  public SaeParameters copy() {
    return map(Tensor::copy);
  }

  public SaeParameters cast(DType dtype) {
    return map(t -> t.cast(dtype));
  }

  /** Number of scalar parameters: {@code 2*n*m + 3*m + n}. */
  public long size() {
    return parameterCount(dIn(), dSae());
  }

  public static long parameterCount(int dIn, int dSae) {
    return 2L * dIn * dSae + 3L * dSae + dIn;
  }

  /** Sum of squares over all six tensors (squared global L2 norm). */
  public double sumSquares() {
    double s = 0;
    for (Tensor t : tensors()) {
      s += t.sumSquares();
    }
    return s;
  }

  /**
   * All values as one float32 array in {@link #NAMES} order, each tensor row-major. This is
   * the wire format that Spark broadcasts and aggregates (never an ND4J object).
   */
  public float[] toFlat() {
    float[] out = new float[Math.toIntExact(size())];
    int off = 0;
    for (Tensor t : tensors()) {
      float[] v = t.toFloatArray();
      System.arraycopy(v, 0, out, off, v.length);
      off += v.length;
    }
    return out;
  }

  /** Inverse of {@link #toFlat()}; {@code flat} must hold exactly {@link #parameterCount} values. */
  public static SaeParameters fromFlat(float[] flat, int dIn, int dSae) {
    long need = parameterCount(dIn, dSae);
    if (flat.length != need) {
      throw new IllegalArgumentException("flat parameter vector has " + flat.length
          + " values, d_in=" + dIn + " d_sae=" + dSae + " needs " + need);
    }
    long[][] shapes = shapes(dIn, dSae);
    Tensor[] t = new Tensor[6];
    int off = 0;
    for (int i = 0; i < 6; i++) {
      int len = (int) (shapes[i].length == 1 ? shapes[i][0] : shapes[i][0] * shapes[i][1]);
      t[i] = Tensor.ofRange(flat, off, shapes[i]);
      off += len;
    }
    return fromList(List.of(t));
  }

  /** Values of tensor {@code tensor} (index in {@link #NAMES}). */
  public static long length(int dIn, int dSae, int tensor) {
    long[] s = shapes(dIn, dSae)[tensor];
    return s.length == 1 ? s[0] : s[0] * s[1];
  }

  /** The shapes of the six tensors in {@link #NAMES} order. */
  public static long[][] shapes(int dIn, int dSae) {
    return new long[][] {{dIn, dSae}, {dSae}, {dSae}, {dSae}, {dSae, dIn}, {dIn}};
  }
}
