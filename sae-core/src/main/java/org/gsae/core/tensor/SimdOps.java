package org.gsae.core.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link VectorOps} on 256-bit vectors (8 float lanes: AVX2 and wider). Loaded only when
 * {@code jdk.incubator.vector} is in the boot layer; the species is fixed, not the platform's
 * preferred one, so the summation layout (and with it every result) is the same everywhere.
 */
final class SimdOps implements VectorOps.Impl {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;   // 4 float64 lanes
  private static final int L = VectorOps.LANES;
  private static final VectorOps.ScalarOps SCALAR = new VectorOps.ScalarOps();   // the tails

  /** False where 256-bit vectors would be emulated (narrower hardware vectors). */
  boolean usable() {
    return S.length() == L && FloatVector.SPECIES_PREFERRED.vectorBitSize() >= S.vectorBitSize();
  }

  @Override
  public float dot(float[] v, int vo, float[] w, int wo, int len) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    int i = 0;
    for (; i + 4 * L <= len; i += 4 * L) {
      a0 = FloatVector.fromArray(S, v, vo + i).fma(FloatVector.fromArray(S, w, wo + i), a0);
      a1 = FloatVector.fromArray(S, v, vo + i + L).fma(FloatVector.fromArray(S, w, wo + i + L), a1);
      a2 = FloatVector.fromArray(S, v, vo + i + 2 * L).fma(FloatVector.fromArray(S, w, wo + i + 2 * L), a2);
      a3 = FloatVector.fromArray(S, v, vo + i + 3 * L).fma(FloatVector.fromArray(S, w, wo + i + 3 * L), a3);
    }
    for (; i + L <= len; i += L) {
      a0 = FloatVector.fromArray(S, v, vo + i).fma(FloatVector.fromArray(S, w, wo + i), a0);
    }
    float s = reduce(a0.add(a1).add(a2.add(a3)));
    for (; i < len; i++) {
      s = Math.fma(v[vo + i], w[wo + i], s);
    }
    return s;
  }

  @Override
  public void dot2(float[] v1, float[] v2, int vo, float[] w, int wo, int len, float[] out) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = FloatVector.zero(S);
    FloatVector a2 = FloatVector.zero(S);
    FloatVector a3 = FloatVector.zero(S);
    FloatVector b0 = FloatVector.zero(S);
    FloatVector b1 = FloatVector.zero(S);
    FloatVector b2 = FloatVector.zero(S);
    FloatVector b3 = FloatVector.zero(S);
    int i = 0;
    for (; i + 4 * L <= len; i += 4 * L) {
      FloatVector w0 = FloatVector.fromArray(S, w, wo + i);
      FloatVector w1 = FloatVector.fromArray(S, w, wo + i + L);
      FloatVector w2 = FloatVector.fromArray(S, w, wo + i + 2 * L);
      FloatVector w3 = FloatVector.fromArray(S, w, wo + i + 3 * L);
      a0 = FloatVector.fromArray(S, v1, vo + i).fma(w0, a0);
      a1 = FloatVector.fromArray(S, v1, vo + i + L).fma(w1, a1);
      a2 = FloatVector.fromArray(S, v1, vo + i + 2 * L).fma(w2, a2);
      a3 = FloatVector.fromArray(S, v1, vo + i + 3 * L).fma(w3, a3);
      b0 = FloatVector.fromArray(S, v2, vo + i).fma(w0, b0);
      b1 = FloatVector.fromArray(S, v2, vo + i + L).fma(w1, b1);
      b2 = FloatVector.fromArray(S, v2, vo + i + 2 * L).fma(w2, b2);
      b3 = FloatVector.fromArray(S, v2, vo + i + 3 * L).fma(w3, b3);
    }
    for (; i + L <= len; i += L) {
      FloatVector w0 = FloatVector.fromArray(S, w, wo + i);
      a0 = FloatVector.fromArray(S, v1, vo + i).fma(w0, a0);
      b0 = FloatVector.fromArray(S, v2, vo + i).fma(w0, b0);
    }
    float s = reduce(a0.add(a1).add(a2.add(a3)));
    float t = reduce(b0.add(b1).add(b2.add(b3)));
    for (; i < len; i++) {
      s = Math.fma(v1[vo + i], w[wo + i], s);
      t = Math.fma(v2[vo + i], w[wo + i], t);
    }
    out[0] = s;
    out[1] = t;
  }

  private static float reduce(FloatVector t) {
    return VectorOps.lanes(t.lane(0), t.lane(1), t.lane(2), t.lane(3), t.lane(4), t.lane(5),
        t.lane(6), t.lane(7));
  }

  @Override
  public void axpy(float a, float[] x, int xo, float[] y, int yo, int len) {
    FloatVector av = FloatVector.broadcast(S, a);
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector.fromArray(S, x, xo + i).fma(av, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      y[yo + i] = Math.fma(a, x[xo + i], y[yo + i]);
    }
  }

  @Override
  public void axpy2(float a1, float a2, float[] x, int xo, float[] y1, float[] y2, int len) {
    FloatVector v1 = FloatVector.broadcast(S, a1);
    FloatVector v2 = FloatVector.broadcast(S, a2);
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector w = FloatVector.fromArray(S, x, xo + i);
      w.fma(v1, FloatVector.fromArray(S, y1, i)).intoArray(y1, i);
      w.fma(v2, FloatVector.fromArray(S, y2, i)).intoArray(y2, i);
    }
    for (; i < len; i++) {
      float w = x[xo + i];
      y1[i] = Math.fma(a1, w, y1[i]);
      y2[i] = Math.fma(a2, w, y2[i]);
    }
  }

  @Override
  public void axpy2into(float a1, float[] x1, float a2, float[] x2, int xo, float[] y, int yo, int len) {
    FloatVector v1 = FloatVector.broadcast(S, a1);
    FloatVector v2 = FloatVector.broadcast(S, a2);
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector acc = FloatVector.fromArray(S, x1, xo + i).fma(v1, FloatVector.fromArray(S, y, yo + i));
      FloatVector.fromArray(S, x2, xo + i).fma(v2, acc).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      y[yo + i] = Math.fma(a2, x2[xo + i], Math.fma(a1, x1[xo + i], y[yo + i]));
    }
  }

  @Override
  public void axpy4(float[] c, float[] x, int[] xo, float[] y, int yo, int len) {
    float a0 = c[0];
    float a1 = c[1];
    float a2 = c[2];
    float a3 = c[3];
    FloatVector v0 = FloatVector.broadcast(S, a0);
    FloatVector v1 = FloatVector.broadcast(S, a1);
    FloatVector v2 = FloatVector.broadcast(S, a2);
    FloatVector v3 = FloatVector.broadcast(S, a3);
    int o0 = xo[0];
    int o1 = xo[1];
    int o2 = xo[2];
    int o3 = xo[3];
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector acc = FloatVector.fromArray(S, x, o0 + i).fma(v0, FloatVector.fromArray(S, y, yo + i));
      acc = FloatVector.fromArray(S, x, o1 + i).fma(v1, acc);
      acc = FloatVector.fromArray(S, x, o2 + i).fma(v2, acc);
      FloatVector.fromArray(S, x, o3 + i).fma(v3, acc).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      float acc = Math.fma(a0, x[o0 + i], y[yo + i]);
      acc = Math.fma(a1, x[o1 + i], acc);
      acc = Math.fma(a2, x[o2 + i], acc);
      y[yo + i] = Math.fma(a3, x[o3 + i], acc);
    }
  }

  @Override
  public void axpy4x2(float[] c1, float[] c2, float[] x, int[] xo, float[] y1, float[] y2, int len) {
    FloatVector p0 = FloatVector.broadcast(S, c1[0]);
    FloatVector p1 = FloatVector.broadcast(S, c1[1]);
    FloatVector p2 = FloatVector.broadcast(S, c1[2]);
    FloatVector p3 = FloatVector.broadcast(S, c1[3]);
    FloatVector q0 = FloatVector.broadcast(S, c2[0]);
    FloatVector q1 = FloatVector.broadcast(S, c2[1]);
    FloatVector q2 = FloatVector.broadcast(S, c2[2]);
    FloatVector q3 = FloatVector.broadcast(S, c2[3]);
    int o0 = xo[0];
    int o1 = xo[1];
    int o2 = xo[2];
    int o3 = xo[3];
    int i = 0;
    for (; i + L <= len; i += L) {
      FloatVector w0 = FloatVector.fromArray(S, x, o0 + i);
      FloatVector w1 = FloatVector.fromArray(S, x, o1 + i);
      FloatVector w2 = FloatVector.fromArray(S, x, o2 + i);
      FloatVector w3 = FloatVector.fromArray(S, x, o3 + i);
      w3.fma(p3, w2.fma(p2, w1.fma(p1, w0.fma(p0, FloatVector.fromArray(S, y1, i))))).intoArray(y1, i);
      w3.fma(q3, w2.fma(q2, w1.fma(q1, w0.fma(q0, FloatVector.fromArray(S, y2, i))))).intoArray(y2, i);
    }
    for (; i < len; i++) {
      for (int k = 0; k < 4; k++) {
        float w = x[xo[k] + i];
        y1[i] = Math.fma(c1[k], w, y1[i]);
        y2[i] = Math.fma(c2[k], w, y2[i]);
      }
    }
  }

  @Override
  public int openGates(float[] pi, float[] bias, int len, int[] out) {
    int k = 0;
    int j = 0;
    for (; j + L <= len; j += L) {
      // Most blocks of a sparse code are all closed: one compare skips them.
      if (FloatVector.fromArray(S, pi, j).add(FloatVector.fromArray(S, bias, j))
          .compare(VectorOperators.GT, 0f).anyTrue()) {
        for (int q = j; q < j + L; q++) {
          if (pi[q] + bias[q] > 0) {
            out[k++] = q;
          }
        }
      }
    }
    for (; j < len; j++) {
      if (pi[j] + bias[j] > 0) {
        out[k++] = j;
      }
    }
    return k;
  }

  @Override
  public int countOpen(float[] pi, float[] bias, int len) {
    int k = 0;
    int j = 0;
    for (; j + L <= len; j += L) {
      k += FloatVector.fromArray(S, pi, j).add(FloatVector.fromArray(S, bias, j))
          .compare(VectorOperators.GT, 0f).trueCount();
    }
    for (; j < len; j++) {
      if (pi[j] + bias[j] > 0) {
        k++;
      }
    }
    return k;
  }

  @Override
  public void adam(float[] p, float[] m, float[] v, float[] g, VectorOps.AdamCoefficients c,
      int from, int to) {
    int i = from;
    for (; i + L <= to; i += L) {
      FloatVector gi = FloatVector.fromArray(S, g, i).mul(c.gradScale());
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(c.b1()).add(gi.mul(c.c1()));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(c.b2()).add(gi.mul(gi).mul(c.c2()));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector denom = vi.lanewise(VectorOperators.SQRT).mul(c.k()).add(c.eps());
      FloatVector.fromArray(S, p, i).add(mi.div(denom).mul(c.negLr())).intoArray(p, i);
    }
    SCALAR.adam(p, m, v, g, c, i, to);
  }

  @Override
  public double denseGates(float[] pi, int o, float[] bGate, float[] scale, float[] bMag,
      float[] norms, float[] f, float[] g, int len, int[] l0) {
    DoubleVector lo = DoubleVector.zero(D);   // lanes 0-3 of the 8 float64 lanes
    DoubleVector hi = DoubleVector.zero(D);   // lanes 4-7
    int open = 0;
    int j = 0;
    for (; j + L <= len; j += L) {
      FloatVector v = FloatVector.fromArray(S, pi, o + j);
      FloatVector pg = v.add(FloatVector.fromArray(S, bGate, j));
      VectorMask<Float> gate = pg.compare(VectorOperators.GT, 0f);
      FloatVector pm = v.mul(FloatVector.fromArray(S, scale, j)).add(FloatVector.fromArray(S, bMag, j));
      VectorMask<Float> fires = gate.and(pm.compare(VectorOperators.GT, 0f));
      FloatVector gv = FloatVector.zero(S).blend(pg, gate);
      FloatVector.zero(S).blend(pm, fires).intoArray(f, o + j);
      gv.intoArray(g, o + j);
      open += fires.trueCount();
      FloatVector nv = FloatVector.fromArray(S, norms, j);
      lo = lo.add(widen(gv, 0).mul(widen(nv, 0)));
      hi = hi.add(widen(gv, 1).mul(widen(nv, 1)));
    }
    l0[0] += open;
    double s = ((lo.lane(0) + lo.lane(1)) + (lo.lane(2) + lo.lane(3)))
        + ((hi.lane(0) + hi.lane(1)) + (hi.lane(2) + hi.lane(3)));
    return s + VectorOps.ScalarOps.denseGatesTail(pi, o, bGate, scale, bMag, norms, f, g, j, len,
        l0);
  }

  /** Lanes [4 part, 4 part + 4) of an 8-lane float vector, as float64. */
  private static DoubleVector widen(FloatVector x, int part) {
    return (DoubleVector) x.convertShape(VectorOperators.F2D, D, part);
  }

}
