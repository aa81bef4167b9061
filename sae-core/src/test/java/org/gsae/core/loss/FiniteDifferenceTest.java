package org.gsae.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Central finite differences in float64 on random small shapes, against a loss written here
 * independently with scalar loops (no Tensor code). The stop-gradient of the PAPER variant is
 * realised by freezing W_dec and b_dec inside the aux term at their unperturbed values.
 * Inputs are redrawn until every gate and magnitude pre-activation is at least 1e-3 away from
 * 0, so a step of h = 1e-6 never flips a gate (the loss is smooth there).
 */
class FiniteDifferenceTest {
  private static final double H = 1e-6;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void givenRandomSmallShapes_whenDifferentiated_thenAnalyticGradientsMatch(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int b = 1 + rng.nextInt(6);
    int n = 1 + rng.nextInt(5);
    int m = 1 + rng.nextInt(7);
    double lambda = 0.05 + rng.nextDouble();
    double alpha = 0.5 + rng.nextDouble();
    double[][] p;
    double[] x;
    do {
      p = randomParams(rng, n, m);
      x = gaussian(rng, b * n, 1.0);
    } while (minMargin(p, x, b, n, m) < 1e-3);

    for (Variant v : Variant.values()) {
      SaeParameters params = toParams(p, n, m);
      GatedLoss.Result r = new GatedLoss(v, alpha).evaluate(params, Tensor.of(x, b, n), lambda);
      double expectLoss = loss(p, p, x, b, n, m, lambda, alpha);
      assertEquals(expectLoss, r.loss().meanTotal(), 1e-12 * Math.max(1, Math.abs(expectLoss)), "loss " + v);
      for (int t = 0; t < 6; t++) {
        double[] analytic = r.gradientSum().tensors().get(t).scale(1.0 / b).toDoubleArray();
        for (int i = 0; i < p[t].length; i++) {
          double[][] plus = perturb(p, t, i, +H);
          double[][] minus = perturb(p, t, i, -H);
          // PAPER: the aux term sees the frozen (unperturbed) decoder; SAELENS: the live one.
          double[][] auxPlus = v.detachAux() ? p : plus;
          double[][] auxMinus = v.detachAux() ? p : minus;
          double fd = (loss(plus, auxPlus, x, b, n, m, lambda, alpha)
              - loss(minus, auxMinus, x, b, n, m, lambda, alpha)) / (2 * H);
          double tol = 1e-6 * Math.max(1, Math.abs(fd));
          assertTrue(Math.abs(fd - analytic[i]) <= tol, String.format(
              "seed %d %s d/d%s[%d]: finite difference %.9g, analytic %.9g", seed, v,
              SaeParameters.NAMES.get(t), i, fd, analytic[i]));
        }
      }
    }
  }

  /** Mean total loss; {@code auxDec} supplies W_dec (index 4) and b_dec (index 5) of the aux term. */
  static double loss(double[][] p, double[][] auxDec, double[] x, int b, int n, int m,
      double lambda, double alpha) {
    double[] wEnc = p[0], bGate = p[1], rMag = p[2], bMag = p[3], wDec = p[4], bDec = p[5];
    double total = 0;
    for (int r = 0; r < b; r++) {
      double[] f = new double[m];
      double[] g = new double[m];
      for (int j = 0; j < m; j++) {
        double pi = 0;
        for (int i = 0; i < n; i++) {
          pi += (x[r * n + i] - bDec[i]) * wEnc[i * m + j];
        }
        double piGate = pi + bGate[j];
        double piMag = Math.exp(rMag[j]) * pi + bMag[j];
        f[j] = piGate > 0 ? Math.max(piMag, 0) : 0;
        g[j] = Math.max(piGate, 0);
      }
      for (int i = 0; i < n; i++) {
        double xh = bDec[i];
        double xg = auxDec[5][i];
        for (int j = 0; j < m; j++) {
          xh += f[j] * wDec[j * n + i];
          xg += g[j] * auxDec[4][j * n + i];
        }
        total += sq(x[r * n + i] - xh) + alpha * sq(x[r * n + i] - xg);
      }
      for (int j = 0; j < m; j++) {
        double norm = 0;
        for (int i = 0; i < n; i++) {
          norm += sq(wDec[j * n + i]);
        }
        total += lambda * g[j] * Math.sqrt(norm);
      }
    }
    return total / b;
  }

  private static double minMargin(double[][] p, double[] x, int b, int n, int m) {
    double min = Double.POSITIVE_INFINITY;
    for (int r = 0; r < b; r++) {
      for (int j = 0; j < m; j++) {
        double pi = 0;
        for (int i = 0; i < n; i++) {
          pi += (x[r * n + i] - p[5][i]) * p[0][i * m + j];
        }
        min = Math.min(min, Math.abs(pi + p[1][j]));
        min = Math.min(min, Math.abs(Math.exp(p[2][j]) * pi + p[3][j]));
      }
    }
    return min;
  }

  private static double sq(double v) {
    return v * v;
  }

  private static double[][] randomParams(SplittableRandom rng, int n, int m) {
    return new double[][] {gaussian(rng, n * m, 0.7), gaussian(rng, m, 0.3), gaussian(rng, m, 0.3),
        gaussian(rng, m, 0.3), gaussian(rng, m * n, 0.7), gaussian(rng, n, 0.3)};
  }

  private static double[] gaussian(SplittableRandom rng, int len, double scale) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      double u1 = Math.max(rng.nextDouble(), 1e-300);
      v[i] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
    return v;
  }

  private static double[][] perturb(double[][] p, int t, int i, double h) {
    double[][] q = new double[6][];
    for (int k = 0; k < 6; k++) {
      q[k] = p[k].clone();
    }
    q[t][i] += h;
    return q;
  }

  private static SaeParameters toParams(double[][] p, int n, int m) {
    long[][] s = SaeParameters.shapes(n, m);
    Tensor[] t = new Tensor[6];
    for (int k = 0; k < 6; k++) {
      t[k] = Tensor.of(p[k], DType.FLOAT64, s[k]);
    }
    return SaeParameters.fromList(java.util.List.of(t));
  }
}
