package org.gsae.tests.jobs;

import java.util.Arrays;
import java.util.List;

/**
 * Explains how two runs' final weights and per-step metrics differ, for the failure message of
 * a bit-for-bit comparison: how many weights differ, the first one (tensor and index), the
 * largest difference, and the first step whose metrics differ (where the runs diverged).
 */
final class WeightDiff {
  /** SAELens tensor order of {@code SaeParameters.toFlat()}. */
  private static final List<String> NAMES =
      List.of("W_enc", "b_gate", "r_mag", "b_mag", "W_dec", "b_dec");

  private WeightDiff() {}

  /** Whether both arrays hold the same bits. */
  static boolean same(float[] expected, float[] actual) {
    return Arrays.equals(expected, actual);
  }

  /**
   * A description of the differences.
   *
   * @param expected       reference weights (flat, SAELens order)
   * @param actual         weights to compare
   * @param expectedMetrics reference {@link TrainOutput#metrics()}
   * @param actualMetrics  the other run's metrics
   */
  static String describe(float[] expected, float[] actual, int dIn, int dSae,
      List<double[]> expectedMetrics, List<double[]> actualMetrics) {
    StringBuilder sb = new StringBuilder();
    if (expected.length != actual.length) {
      return "weight counts differ: " + expected.length + " vs " + actual.length;
    }
    long[] sizes = {(long) dIn * dSae, dSae, dSae, dSae, (long) dSae * dIn, dIn};
    int differing = 0;
    int first = -1;
    double maxAbs = 0;
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        differing++;
        if (first < 0) {
          first = i;
        }
        maxAbs = Math.max(maxAbs, Math.abs((double) expected[i] - actual[i]));
      }
    }
    sb.append(differing).append(" of ").append(expected.length).append(" weights differ");
    if (first >= 0) {
      long off = first;
      int t = 0;
      while (off >= sizes[t]) {
        off -= sizes[t++];
      }
      sb.append("; first: ").append(NAMES.get(t)).append("[flat ").append(off).append("] ")
          .append(expected[first]).append(" vs ").append(actual[first])
          .append("; largest difference ").append(maxAbs);
    }
    sb.append("; ").append(firstMetricsDifference(expectedMetrics, actualMetrics));
    return sb.toString();
  }

  /** The first step whose metrics row differs, or that they all agree. */
  static String firstMetricsDifference(List<double[]> expected, List<double[]> actual) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      double[] e = expected.get(i);
      double[] a = actual.get(i);
      if (!Arrays.equals(e, a)) {
        return "metrics first differ at step " + (long) e[0] + " (" + TrainOutput.METRIC_COLUMNS
            + "): " + Arrays.toString(e) + " vs " + Arrays.toString(a);
      }
    }
    if (expected.size() != actual.size()) {
      return "metrics agree for " + n + " steps, then have " + expected.size() + " vs "
          + actual.size() + " rows";
    }
    return "all " + n + " metrics rows are identical";
  }
}
