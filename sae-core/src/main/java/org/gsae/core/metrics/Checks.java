package org.gsae.core.metrics;

import org.gsae.core.error.Errors;

/** Shared preconditions so every aggregator words its dimension errors the same way. */
final class Checks {
  private Checks() {}

  /** A dimension must be at least 1. */
  static void positive(String type, String dim, long value) {
    Errors.check(value >= 1, "%s needs %s >= 1, got %d", type, dim, value);
  }

  /** Merging is only defined between aggregates over the same dimensions. */
  static void sameDim(String type, String dim, long mine, long theirs) {
    Errors.check(mine == theirs, "cannot merge a %s with %s=%d into one with %s=%d: both partial "
        + "aggregates must come from the same model", type, dim, theirs, dim, mine);
  }

  /**
   * A row-major block argument must hold at least {@code rows * width} values; only that prefix
   * is read, so callers may reuse a larger buffer for a short last block.
   */
  static void block(String type, String array, int length, int rows, int width, String widthName) {
    Errors.check(rows >= 0, "%s.add: rows must be >= 0, got %d", type, rows);
    long need = (long) rows * width;
    Errors.check(length >= need, "%s.add: %s has %d values but %d rows x %s=%d need %d",
        type, array, length, rows, widthName, width, need);
  }

  /** Per-feature slots of one aggregate ({@code dSae * perFeature}) must fit in one array. */
  static int cells(String type, int dSae, int perFeature) {
    long cells = (long) dSae * perFeature;
    Errors.check(cells <= Integer.MAX_VALUE - 8,
        "%s: d_sae=%d x %d = %d slots is too many for one aggregate", type, dSae, perFeature,
        cells);
    return (int) cells;
  }
}
