package org.gsae.core.tensor;

/**
 * The inner loops of the sparse training step (dot products and axpy over one n-long row),
 * on SIMD registers when the JVM runs with {@code --add-modules=jdk.incubator.vector}
 * ({@code bin/sae}, the test JVMs and the README's spark-submit line set it), in plain Java
 * otherwise. JDK 17's JIT runs neither the float reductions nor these offset loops over
 * possibly aliasing arrays as vector code, and they are most of the sparse step's time.
 *
 * <p>Both implementations compute bit-identical results: every multiply-add is fused
 * ({@link Math#fma}), and a dot product always accumulates in the same fixed layout
 * (4 accumulators of 8 lanes, combined in a fixed tree, see {@link #dot}), so a model trained
 * with or without the flag, or on executors that differ in it, gets the same numbers.
 *
 * <p>Arrays are row-major; offsets are element indices. The SIMD path does not allocate.
 */
public final class VectorOps {
  /** Lanes per accumulator and accumulators per dot: the fixed summation layout. */
  static final int LANES = 8;
  static final int ACCS = 4;

  interface Impl {
    float dot(float[] v, int vo, float[] w, int wo, int len);

    void dot2(float[] v1, float[] v2, int vo, float[] w, int wo, int len, float[] out);

    void axpy(float a, float[] x, int xo, float[] y, int yo, int len);

    void axpy2(float a1, float a2, float[] x, int xo, float[] y1, float[] y2, int len);

    void axpy2into(float a1, float[] x1, float a2, float[] x2, int xo, float[] y, int yo, int len);

    void axpy4(float[] c, float[] x, int[] xo, float[] y, int yo, int len);

    void axpy4x2(float[] c1, float[] c2, float[] x, int[] xo, float[] y1, float[] y2, int len);

    int openGates(float[] pi, float[] bias, int len, int[] out);

    int countOpen(float[] pi, float[] bias, int len);

    void adam(float[] p, float[] m, float[] v, float[] g, AdamCoefficients c, int from, int to);

    double denseGates(float[] pi, int o, float[] bGate, float[] scale, float[] bMag,
        float[] norms, float[] f, float[] g, int len, int[] l0);
  }

  /**
   * The float32 coefficients of one Adam update, in torch.optim.Adam's operation order, of the
   * gradient times {@code gradScale} (clipping; 1 multiplies exactly):
   * {@code g' = gradScale g; m = b1 m + c1 g'; v = b2 v + c2 g'^2;
   * p += negLr * (m / (sqrt(v) * k + eps))}.
   */
  public record AdamCoefficients(float b1, float c1, float b2, float c2, float k, float eps,
      float negLr, float gradScale) {
    /**
     * @param stepSize   lr / (1 - beta1^t)
     * @param invSqrtBc2 1 / sqrt(1 - beta2^t)
     * @param gradScale  the gradient's factor, as float32
     */
    public static AdamCoefficients of(double beta1, double beta2, double stepSize,
        double invSqrtBc2, double eps, double gradScale) {
      return new AdamCoefficients((float) beta1, (float) (1 - beta1), (float) beta2,
          (float) (1 - beta2), (float) invSqrtBc2, (float) eps, (float) -stepSize,
          (float) gradScale);
    }
  }

  private static final Impl IMPL = select();

  private VectorOps() {}

  private static Impl select() {
    if (!Boolean.parseBoolean(System.getProperty("gsae.simd", "true"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return new ScalarOps();
    }
    try {
      Impl simd = (Impl) Class.forName("org.gsae.core.tensor.SimdOps")
          .getDeclaredConstructor().newInstance();
      return ((SimdOps) simd).usable() ? simd : new ScalarOps();
    } catch (ReflectiveOperationException | LinkageError e) {
      return new ScalarOps();
    }
  }

  /**
   * Which implementation this JVM runs: {@code "simd"} or {@code "scalar"} (no
   * {@code --add-modules=jdk.incubator.vector}, {@code -Dgsae.simd=false}, or vectors
   * narrower than 256 bits).
   */
  public static String implementation() {
    return IMPL instanceof ScalarOps ? "scalar" : "simd";
  }

  /**
   * {@code v[vo..vo+len) . w[wo..wo+len)}: element i goes to accumulator {@code (i / 8) % 4},
   * lane {@code i % 8} while whole 32-blocks remain, then to accumulator 0 in 8-blocks; the
   * accumulators are combined {@code (a0 + a1) + (a2 + a3)} lane-wise, the lanes in a
   * pairwise tree, and the last {@code len % 8} elements fused on in order.
   */
  public static float dot(float[] v, int vo, float[] w, int wo, int len) {
    return IMPL.dot(v, vo, w, wo, len);
  }

  /** {@code out = [v1 . w, v2 . w]} (each exactly as {@link #dot}) in one pass over {@code w}. */
  public static void dot2(float[] v1, float[] v2, int vo, float[] w, int wo, int len, float[] out) {
    IMPL.dot2(v1, v2, vo, w, wo, len, out);
  }

  /** {@code y[yo+i] = fma(a, x[xo+i], y[yo+i])} for i in [0, len). */
  public static void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
    IMPL.axpy(a, x, xo, y, yo, len);
  }

  /** {@code y1[i] = fma(a1, x[xo+i], y1[i]); y2[i] = fma(a2, x[xo+i], y2[i])} in one pass over x. */
  public static void axpy2(float a1, float a2, float[] x, int xo, float[] y1, float[] y2, int len) {
    IMPL.axpy2(a1, a2, x, xo, y1, y2, len);
  }

  /** {@code y[yo+i] = fma(a2, x2[xo+i], fma(a1, x1[xo+i], y[yo+i]))} in one pass over y. */
  public static void axpy2into(float a1, float[] x1, float a2, float[] x2, int xo, float[] y, int yo,
      int len) {
    IMPL.axpy2into(a1, x1, a2, x2, xo, y, yo, len);
  }

  /**
   * Four {@link #axpy} calls in one pass over {@code y}: for k = 0..3 in order,
   * {@code y[yo+i] = fma(c[k], x[xo[k]+i], y[yo+i])} (bit-identical to the four calls). The four
   * rows of {@code x} are streamed together: where they are scattered in memory (the rows of
   * the active pairs) this keeps four cache-miss streams in flight instead of one, which on
   * the 2-core benchmark host moved random-row throughput from ~4 to ~9 GB/s.
   *
   * @param c  4 coefficients
   * @param xo 4 row offsets into {@code x}
   */
  public static void axpy4(float[] c, float[] x, int[] xo, float[] y, int yo, int len) {
    IMPL.axpy4(c, x, xo, y, yo, len);
  }

  /**
   * Four {@link #axpy2} calls in one pass: for k = 0..3 in order, {@code y1[i] = fma(c1[k],
   * x[xo[k]+i], y1[i]); y2[i] = fma(c2[k], x[xo[k]+i], y2[i])} (bit-identical to the four calls).
   */
  public static void axpy4x2(float[] c1, float[] c2, float[] x, int[] xo, float[] y1, float[] y2,
      int len) {
    IMPL.axpy4x2(c1, c2, x, xo, y1, y2, len);
  }

  /**
   * Writes, in ascending order, every j in [0, len) with {@code pi[j] + bias[j] > 0} (the open
   * gates of one row) into {@code out} and returns how many there are; {@code out} needs
   * room for {@code len}.
   */
  public static int openGates(float[] pi, float[] bias, int len, int[] out) {
    return IMPL.openGates(pi, bias, len, out);
  }

  /**
   * One Adam update of values [from, to) in place: {@code m}, {@code v} and {@code p} from
   * the gradient {@code g} ({@link AdamCoefficients}; {@code g} is only read); each value on
   * its own, no fused multiply-add, so both implementations give the same bits.
   */
  public static void adam(float[] p, float[] m, float[] v, float[] g, AdamCoefficients c,
      int from, int to) {
    IMPL.adam(p, m, v, g, c, from, to);
  }

  /**
   * The gates of one row of the dense training path, {@code pi[o..o+len)}: where
   * {@code pg = pi + b_gate > 0}, {@code g = pg} and {@code f = max(exp(r_mag) pi + b_mag, 0)}
   * ({@code scale} = exp(r_mag), multiply then add), elsewhere both 0, written to
   * {@code f[o..]} and {@code g[o..]}. Adds the row's L0 (open gates with f > 0) to
   * {@code l0[0]} and returns its L1, {@code sum_j g_j norms_j}: the exact float64 products
   * summed in 8 float64 lanes (j mod 8, whole blocks of 8), combined
   * {@code ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))}, plus the sum of the last
   * {@code len % 8} in order.
   */
  public static double denseGates(float[] pi, int o, float[] bGate, float[] scale, float[] bMag,
      float[] norms, float[] f, float[] g, int len, int[] l0) {
    return IMPL.denseGates(pi, o, bGate, scale, bMag, norms, f, g, len, l0);
  }

  /** How many j in [0, len) have {@code pi[j] + bias[j] > 0} ({@link #openGates}, counted only). */
  public static int countOpen(float[] pi, float[] bias, int len) {
    return IMPL.countOpen(pi, bias, len);
  }

  /** The reference semantics in plain Java (and the fallback). */
  static final class ScalarOps implements Impl {
    @Override
    public float dot(float[] v, int vo, float[] w, int wo, int len) {
      float[] acc = new float[ACCS * LANES];
      int i = blockedDot(v, vo, w, wo, len, acc);
      return finishDot(acc, v, vo, w, wo, i, len);
    }

    @Override
    public void dot2(float[] v1, float[] v2, int vo, float[] w, int wo, int len, float[] out) {
      out[0] = dot(v1, vo, w, wo, len);
      out[1] = dot(v2, vo, w, wo, len);
    }

    private static int blockedDot(float[] v, int vo, float[] w, int wo, int len, float[] acc) {
      int i = 0;
      for (; i + ACCS * LANES <= len; i += ACCS * LANES) {
        for (int k = 0; k < ACCS * LANES; k++) {
          acc[k] = Math.fma(v[vo + i + k], w[wo + i + k], acc[k]);
        }
      }
      for (; i + LANES <= len; i += LANES) {
        for (int k = 0; k < LANES; k++) {
          acc[k] = Math.fma(v[vo + i + k], w[wo + i + k], acc[k]);
        }
      }
      return i;
    }

    private static float finishDot(float[] acc, float[] v, int vo, float[] w, int wo, int i, int len) {
      float[] t = new float[LANES];
      for (int l = 0; l < LANES; l++) {
        t[l] = (acc[l] + acc[LANES + l]) + (acc[2 * LANES + l] + acc[3 * LANES + l]);
      }
      float s = lanes(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
      for (; i < len; i++) {
        s = Math.fma(v[vo + i], w[wo + i], s);
      }
      return s;
    }

    @Override
    public void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
      for (int i = 0; i < len; i++) {
        y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
      }
    }

    @Override
    public void axpy2(float a1, float a2, float[] x, int xo, float[] y1, float[] y2, int len) {
      for (int i = 0; i < len; i++) {
        float w = x[xo + i];
        y1[i] = Math.fma(a1, w, y1[i]);
        y2[i] = Math.fma(a2, w, y2[i]);
      }
    }

    @Override
    public void axpy2into(float a1, float[] x1, float a2, float[] x2, int xo, float[] y, int yo,
        int len) {
      for (int i = 0; i < len; i++) {
        y[yo + i] = Math.fma(a2, x2[xo + i], Math.fma(a1, x1[xo + i], y[yo + i]));
      }
    }

    @Override
    public void axpy4(float[] c, float[] x, int[] xo, float[] y, int yo, int len) {
      for (int k = 0; k < 4; k++) {
        axpy(c[k], x, xo[k], y, yo, len);
      }
    }

    @Override
    public void axpy4x2(float[] c1, float[] c2, float[] x, int[] xo, float[] y1, float[] y2, int len) {
      for (int k = 0; k < 4; k++) {
        axpy2(c1[k], c2[k], x, xo[k], y1, y2, len);
      }
    }

    @Override
    public int openGates(float[] pi, float[] bias, int len, int[] out) {
      int k = 0;
      for (int j = 0; j < len; j++) {
        if (pi[j] + bias[j] > 0) {
          out[k++] = j;
        }
      }
      return k;
    }

    @Override
    public int countOpen(float[] pi, float[] bias, int len) {
      int k = 0;
      for (int j = 0; j < len; j++) {
        if (pi[j] + bias[j] > 0) {
          k++;
        }
      }
      return k;
    }

    @Override
    public void adam(float[] p, float[] m, float[] v, float[] g, AdamCoefficients c, int from,
        int to) {
      for (int i = from; i < to; i++) {
        float gi = g[i] * c.gradScale();
        float mi = m[i] * c.b1();
        mi += c.c1() * gi;
        float vi = v[i] * c.b2();
        vi += c.c2() * (gi * gi);
        m[i] = mi;
        v[i] = vi;
        float denom = (float) Math.sqrt(vi) * c.k() + c.eps();
        p[i] += c.negLr() * (mi / denom);
      }
    }

    @Override
    public double denseGates(float[] pi, int o, float[] bGate, float[] scale, float[] bMag,
        float[] norms, float[] f, float[] g, int len, int[] l0) {
      double[] lanes = new double[LANES];
      int whole = len / LANES * LANES;
      for (int j = 0; j < whole; j++) {
        l0[0] += gate(pi, o, j, bGate, scale, bMag, f, g);
        lanes[j % LANES] += (double) g[o + j] * norms[j];
      }
      double s = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3]))
          + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
      return s + denseGatesTail(pi, o, bGate, scale, bMag, norms, f, g, whole, len, l0);
    }

    /** Gates [from, len) of {@link #denseGates} in order: their L1 summed in order from 0. */
    static double denseGatesTail(float[] pi, int o, float[] bGate, float[] scale, float[] bMag,
        float[] norms, float[] f, float[] g, int from, int len, int[] l0) {
      double s = 0;
      for (int j = from; j < len; j++) {
        l0[0] += gate(pi, o, j, bGate, scale, bMag, f, g);
        s += (double) g[o + j] * norms[j];
      }
      return s;
    }

    /** Gate j of {@link #denseGates}: writes its f and g; 1 when it fires (f > 0), else 0. */
    private static int gate(float[] pi, int o, int j, float[] bGate, float[] scale, float[] bMag,
        float[] f, float[] g) {
      float v = pi[o + j];
      float pg = v + bGate[j];
      float gv = 0f;
      float fv = 0f;
      if (pg > 0) {
        gv = pg;
        float pm = scale[j] * v + bMag[j];
        fv = pm > 0 ? pm : 0f;
      }
      f[o + j] = fv;
      g[o + j] = gv;
      return fv != 0f ? 1 : 0;
    }

  }

  /** The fixed lane-combining tree of {@link #dot}. */
  static float lanes(float t0, float t1, float t2, float t3, float t4, float t5, float t6, float t7) {
    return ((t0 + t1) + (t2 + t3)) + ((t4 + t5) + (t6 + t7));
  }
}
