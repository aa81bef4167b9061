package org.gsae.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import org.gsae.core.tensor.Tensor;

/** Tensor comparisons with the reference folder's rule: max|a-b| <= atol + rtol * max|ref|. */
public final class Assertions2 {
  private Assertions2() {}

  /** Fails unless {@code actual} matches {@code expected} within {@code tol + tol * max|expected|}. */
  public static void assertClose(String what, double[] expected, double[] actual, double tol) {
    assertClose(what, expected, actual, tol, 0, Set.of());
  }

  /**
   * As {@link #assertClose(String, double[], double[], double)}, skipping the listed rows of
   * a matrix with {@code cols} columns.
   */
  public static void assertClose(String what, double[] expected, double[] actual, double tol,
      int cols, Set<Integer> skipRows) {
    if (expected.length != actual.length) {
      fail(what + ": length " + actual.length + ", expected " + expected.length);
    }
    double maxRef = 0;
    for (double v : expected) {
      maxRef = Math.max(maxRef, Math.abs(v));
    }
    double bound = tol + tol * maxRef;
    double worst = 0;
    int worstAt = -1;
    for (int i = 0; i < expected.length; i++) {
      if (cols > 0 && skipRows.contains(i / cols)) {
        continue;
      }
      double d = Math.abs(expected[i] - actual[i]);
      if (!(d <= bound)) {
        if (Double.isNaN(d) || d > worst) {
          worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
          worstAt = i;
        }
      }
    }
    if (worstAt >= 0) {
      fail(String.format("%s: max |diff| %.3e at index %d (expected %.9g, got %.9g) exceeds %.3e",
          what, worst, worstAt, expected[worstAt], actual[worstAt], bound));
    }
  }

  public static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    assertClose(what, expected.toDoubleArray(), actual.toDoubleArray(), tol);
  }
}
