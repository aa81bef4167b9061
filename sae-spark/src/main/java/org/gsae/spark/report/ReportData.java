package org.gsae.spark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gsae.core.error.Errors;

/**
 * The numbers the run page draws that are computed on the JVM, from plain arrays (no Spark, no
 * I/O), so each is testable on hand-worked cases: the feature-density histogram, thinned
 * training curves and the chunk layout of the feature pages.
 */
public final class ReportData {
  /** Features per chunk file ({@code data/chunk-N.js}). */
  public static final int CHUNK = 256;
  /** Bins per decade of the feature-density histogram. */
  public static final int DENSITY_BINS_PER_DECADE = 4;
  /** Training curves are thinned to at most this many points each. */
  public static final int MAX_CURVE_POINTS = 2000;

  private ReportData() {}

  /** The chunk that holds feature {@code j}. */
  public static int chunkOf(int feature) {
    return feature / CHUNK;
  }

  /** Number of chunk files for {@code dSae} features. */
  public static int chunks(int dSae) {
    return (dSae + CHUNK - 1) / CHUNK;
  }

  /**
   * The feature-density histogram: alive features by {@code log10(frequency)} in bins of
   * 1/{@value #DENSITY_BINS_PER_DECADE} decade, from the floor of the rarest alive feature's
   * decade to 0 (frequency 1), and the dead features counted apart.
   *
   * @param frequency firing frequency per feature [d_sae], in [0, 1]
   * @return {@code lower} (bin lower edges, log10), {@code count} per bin, {@code dead}
   */
  public static Map<String, Object> densityHistogram(double[] frequency) {
    double minLog = 0;
    int dead = 0;
    for (double f : frequency) {
      Errors.check(f >= 0 && f <= 1, "a firing frequency must be in [0, 1], got %s", f);
      if (f == 0) {
        dead++;
      } else {
        minLog = Math.min(minLog, Math.log10(f));
      }
    }
    int low = (int) Math.floor(minLog);
    int bins = Math.max(1, -low * DENSITY_BINS_PER_DECADE);
    long[] count = new long[bins];
    for (double f : frequency) {
      if (f > 0) {
        int b = (int) Math.floor((Math.log10(f) - low) * DENSITY_BINS_PER_DECADE);
        count[Math.min(bins - 1, Math.max(0, b))]++;
      }
    }
    double[] lower = new double[bins];
    for (int b = 0; b < bins; b++) {
      lower[b] = low + (double) b / DENSITY_BINS_PER_DECADE;
    }
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("lower", lower);
    h.put("width", 1.0 / DENSITY_BINS_PER_DECADE);
    h.put("count", count);
    h.put("dead", dead);
    return h;
  }

  /**
   * Which rows of a training curve to draw: all when there are at most {@code max}, otherwise
   * every {@code ceil(n / max)}-th row from the first, plus the last.
   *
   * @param n rows in {@code metrics.parquet}
   * @return ascending row indices
   */
  public static int[] thinned(int n, int max) {
    Errors.check(max >= 2, "max points must be >= 2, got %d", max);
    if (n <= max) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    int stride = (n + max - 2) / (max - 1);
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < n; i += stride) {
      keep.add(i);
    }
    if (keep.get(keep.size() - 1) != n - 1) {
      keep.add(n - 1);
    }
    return keep.stream().mapToInt(Integer::intValue).toArray();
  }
}
