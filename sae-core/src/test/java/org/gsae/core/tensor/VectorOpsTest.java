package org.gsae.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SIMD loops and the plain-Java fallback give bit-identical results (so a run does not
 * depend on whether the JVM had the Vector API), and both equal a float64 computation to
 * float32 rounding. Lengths cover empty, tails of every size and the d_in of real models.
 */
class VectorOpsTest {
  private static final int[] LENGTHS = {0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 100, 512, 768, 777};
  private final SimdOps simd = new SimdOps();
  private final VectorOps.ScalarOps scalar = new VectorOps.ScalarOps();

  private static float[] random(Random r, int len) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  @Test
  void givenTheTestJvm_thenTheSimdPathIsInUse() {
    // surefire passes --add-modules=jdk.incubator.vector (simd.jvm.flags in the parent pom).
    assertEquals("simd", VectorOps.implementation());
  }

  @Test
  void givenAnyLengthAndOffset_whenDotted_thenSimdEqualsScalarBitForBitAndFloat64WithinRounding() {
    Random r = new Random(3);
    for (int len : LENGTHS) {
      for (int off : new int[] {0, 3, 16}) {
        float[] v = random(r, len + off + 5);
        float[] v2 = random(r, len + off + 5);
        float[] w = random(r, len + 2 * off);
        float a = simd.dot(v, off, w, 2 * off, len);
        assertEquals(Float.floatToIntBits(scalar.dot(v, off, w, 2 * off, len)), Float.floatToIntBits(a),
            "len " + len + " off " + off);
        double exact = 0;
        double mag = 0;
        for (int i = 0; i < len; i++) {
          exact += (double) v[off + i] * w[2 * off + i];
          mag += Math.abs((double) v[off + i] * w[2 * off + i]);
        }
        assertEquals(exact, a, 1e-6 * (mag + 1), "len " + len);
        float[] s2 = new float[2];
        float[] c2 = new float[2];
        simd.dot2(v, v2, off, w, 2 * off, len, s2);
        scalar.dot2(v, v2, off, w, 2 * off, len, c2);
        assertArrayEquals(c2, s2, 0f);
        assertEquals(Float.floatToIntBits(a), Float.floatToIntBits(s2[0]), "dot2 = two dots");
        assertEquals(Float.floatToIntBits(simd.dot(v2, off, w, 2 * off, len)), Float.floatToIntBits(s2[1]));
      }
    }
  }

  @Test
  void givenAnyLengthAndOffset_whenAxpyVariants_thenSimdEqualsScalarAndTheFusedFormula() {
    Random r = new Random(4);
    for (int len : LENGTHS) {
      int off = 5;
      float[] x = random(r, len + off);
      float[] x2 = random(r, len + off);
      float[] y = random(r, len + 2 * off);
      float a1 = (float) r.nextGaussian();
      float a2 = (float) r.nextGaussian();

      float[] ys = y.clone();
      float[] yc = y.clone();
      simd.axpy(a1, x, off, ys, 2 * off, len);
      scalar.axpy(a1, x, off, yc, 2 * off, len);
      assertArrayEquals(yc, ys, 0f, "axpy len " + len);
      for (int i = 0; i < len; i++) {
        assertEquals(Math.fma(a1, x[off + i], y[2 * off + i]), ys[2 * off + i], 0f);
      }
      assertEquals(y[0], ys[0], 0f, "outside the range is untouched");

      float[] y1s = random(r, len);
      float[] y2s = random(r, len);
      float[] y1c = y1s.clone();
      float[] y2c = y2s.clone();
      simd.axpy2(a1, a2, x, off, y1s, y2s, len);
      scalar.axpy2(a1, a2, x, off, y1c, y2c, len);
      assertArrayEquals(y1c, y1s, 0f, "axpy2 y1 len " + len);
      assertArrayEquals(y2c, y2s, 0f, "axpy2 y2 len " + len);

      ys = y.clone();
      yc = y.clone();
      simd.axpy2into(a1, x, a2, x2, off, ys, 2 * off, len);
      scalar.axpy2into(a1, x, a2, x2, off, yc, 2 * off, len);
      assertArrayEquals(yc, ys, 0f, "axpy2into len " + len);
      for (int i = 0; i < len; i++) {
        double exact = y[2 * off + i] + (double) a1 * x[off + i] + (double) a2 * x2[off + i];
        assertEquals(exact, ys[2 * off + i], 1e-5 * (1 + Math.abs(exact)));
      }
    }
  }

  @Test
  void givenFourScatteredRows_whenAxpy4Variants_thenEqualToFourSingleCallsInOrderBitForBit() {
    Random r = new Random(5);
    for (int len : LENGTHS) {
      float[] x = random(r, 6 * len + 3);
      int[] xo = {3 * len + 1, 0, 5 * len + 3, len};   // out of order, as the pairs' rows are
      float[] c = {(float) r.nextGaussian(), 0f, (float) r.nextGaussian(), -1.5f};
      float[] c2 = {(float) r.nextGaussian(), (float) r.nextGaussian(), 0.25f, 0f};
      float[] y = random(r, len + 7);
      float[] expected = y.clone();
      for (int k = 0; k < 4; k++) {
        for (int i = 0; i < len; i++) {
          expected[7 + i] = Math.fma(c[k], x[xo[k] + i], expected[7 + i]);
        }
      }
      float[] ys = y.clone();
      float[] yc = y.clone();
      simd.axpy4(c, x, xo, ys, 7, len);
      scalar.axpy4(c, x, xo, yc, 7, len);
      assertArrayEquals(expected, ys, 0f, "simd axpy4 len " + len);
      assertArrayEquals(expected, yc, 0f, "scalar axpy4 len " + len);

      float[] y1 = random(r, len);
      float[] y2 = random(r, len);
      float[] e1 = y1.clone();
      float[] e2 = y2.clone();
      for (int k = 0; k < 4; k++) {
        scalar.axpy2(c[k], c2[k], x, xo[k], e1, e2, len);
      }
      float[] s1 = y1.clone();
      float[] s2 = y2.clone();
      simd.axpy4x2(c, c2, x, xo, s1, s2, len);
      assertArrayEquals(e1, s1, 0f, "simd axpy4x2 y1 len " + len);
      assertArrayEquals(e2, s2, 0f, "simd axpy4x2 y2 len " + len);
      float[] t1 = y1.clone();
      float[] t2 = y2.clone();
      scalar.axpy4x2(c, c2, x, xo, t1, t2, len);
      assertArrayEquals(e1, t1, 0f, "scalar axpy4x2 y1 len " + len);
      assertArrayEquals(e2, t2, 0f, "scalar axpy4x2 y2 len " + len);
    }
  }

  @Test
  void givenRowsOfAnySparsity_whenScanningGates_thenExactlyTheOpenOnesInOrder() {
    Random r = new Random(5);
    for (int len : LENGTHS) {
      for (double shift : new double[] {-3.0, -1.0, 0.0, 5.0}) {   // ~0.1%, 16%, 50%, 100% open
        float[] pi = random(r, len);
        float[] bias = new float[len];
        for (int j = 0; j < len; j++) {
          bias[j] = (float) shift;
        }
        if (len > 9) {
          bias[9] = -pi[9];   // pi + bias == 0 exactly: closed
        }
        int[] expected = new int[len];
        int k = 0;
        for (int j = 0; j < len; j++) {
          if ((double) pi[j] + bias[j] > 0 && pi[j] + bias[j] != 0f) {
            expected[k++] = j;
          }
        }
        int[] s = new int[len];
        int[] c = new int[len];
        assertEquals(k, simd.openGates(pi, bias, len, s), "len " + len + " shift " + shift);
        assertEquals(k, scalar.openGates(pi, bias, len, c));
        assertEquals(k, simd.countOpen(pi, bias, len));
        assertEquals(k, scalar.countOpen(pi, bias, len));
        assertArrayEquals(java.util.Arrays.copyOf(expected, k), java.util.Arrays.copyOf(s, k));
        assertArrayEquals(java.util.Arrays.copyOf(expected, k), java.util.Arrays.copyOf(c, k));
      }
    }
  }

  @Test
  void givenAnyRangeAndMoments_whenAdam_thenSimdEqualsScalarBitForBitAndFloat64WithinRounding() {
    Random r = new Random(6);
    // step 3 of lr 1e-3, beta1 0.9, beta2 0.999: stepSize = lr / (1 - 0.9^3), k = 1/sqrt(1 - 0.999^3)
    // and the gradient clipped by 0.37
    VectorOps.AdamCoefficients c = VectorOps.AdamCoefficients.of(0.9, 0.999,
        1e-3 / (1 - Math.pow(0.9, 3)), 1 / Math.sqrt(1 - Math.pow(0.999, 3)), 1e-8, 0.37);
    for (int len : LENGTHS) {
      for (int from : new int[] {0, 5}) {
        int size = from + len + 3;
        float[] p0 = random(r, size);
        float[] m0 = random(r, size);
        float[] v0 = new float[size];
        for (int i = 0; i < size; i++) {
          v0[i] = Math.abs((float) r.nextGaussian());
        }
        v0[size - 1] = 0f;   // beyond the range, and a zero second moment inside below
        if (len > 2) {
          v0[from + 1] = 0f;
        }
        float[] g = random(r, size);
        float[] g0 = g.clone();
        float[][] a = {p0.clone(), m0.clone(), v0.clone()};
        float[][] b = {p0.clone(), m0.clone(), v0.clone()};
        simd.adam(a[0], a[1], a[2], g, c, from, from + len);
        scalar.adam(b[0], b[1], b[2], g, c, from, from + len);
        for (int q = 0; q < 3; q++) {
          assertArrayEquals(b[q], a[q], 0f, "len " + len + " from " + from + " array " + q);
        }
        assertArrayEquals(g0, g, 0f, "the gradient is only read");
        for (int i = 0; i < size; i++) {
          boolean in = i >= from && i < from + len;
          double gi = 0.37 * g[i];
          double m = in ? 0.9 * m0[i] + 0.1 * gi : m0[i];
          double v = in ? 0.999 * v0[i] + 0.001 * gi * gi : v0[i];
          double p = in ? p0[i] + c.negLr() * m / (Math.sqrt(v) * c.k() + 1e-8) : p0[i];
          assertEquals(m, a[1][i], 1e-6 * (1 + Math.abs(m)), "m " + i);
          assertEquals(v, a[2][i], 1e-6 * (1 + Math.abs(v)), "v " + i);
          assertEquals(p, a[0][i], 1e-5 * (1 + Math.abs(p)), "p " + i);
        }
      }
    }
  }

  @Test
  void givenDenseRows_whenGatesComputed_thenSimdEqualsScalarBitForBitAndTheFormula() {
    Random r = new Random(8);
    for (int len : LENGTHS) {
      for (double shift : new double[] {-2.0, 0.0, 3.0}) {   // few, half, all gates open
        int o = 3;
        float[] pi = random(r, o + len);
        float[] bGate = new float[len];
        float[] scale = new float[len];
        float[] bMag = random(r, len);
        float[] norms = new float[len];
        for (int j = 0; j < len; j++) {
          bGate[j] = (float) (shift + 0.5 * r.nextGaussian());
          scale[j] = (float) Math.exp(0.3 * r.nextGaussian());
          norms[j] = (float) (0.5 + r.nextDouble());
        }
        float[][] fs = {new float[o + len], new float[o + len]};
        float[][] gs = {new float[o + len], new float[o + len]};
        int[][] l0 = {{5}, {5}};   // added to
        double l1s = simd.denseGates(pi, o, bGate, scale, bMag, norms, fs[0], gs[0], len, l0[0]);
        double l1c = scalar.denseGates(pi, o, bGate, scale, bMag, norms, fs[1], gs[1], len, l0[1]);
        assertEquals(Double.doubleToLongBits(l1c), Double.doubleToLongBits(l1s), "len " + len);
        assertArrayEquals(fs[1], fs[0], 0f);
        assertArrayEquals(gs[1], gs[0], 0f);
        assertEquals(l0[1][0], l0[0][0]);
        double l1 = 0;
        int fires = 5;
        for (int j = 0; j < len; j++) {
          float pg = pi[o + j] + bGate[j];
          float pm = scale[j] * pi[o + j] + bMag[j];
          float g = pg > 0 ? pg : 0f;
          float f = pg > 0 && pm > 0 ? pm : 0f;
          assertEquals(g, gs[0][o + j], 0f, "g " + j);
          assertEquals(f, fs[0][o + j], 0f, "f " + j);
          fires += f > 0 ? 1 : 0;
          l1 += (double) g * norms[j];
        }
        assertEquals(fires, l0[0][0]);
        assertEquals(l1, l1s, 1e-12 * (1 + l1));
      }
    }
  }
}
