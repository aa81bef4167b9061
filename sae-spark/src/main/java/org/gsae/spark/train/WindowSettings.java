package org.gsae.spark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.ConfigException;

/**
 * How training reads the store in windows (docs/architecture.md §6). Config keys
 * {@code input.window_bytes} and {@code input.prefetch_windows}.
 *
 * @param bytes    most bytes of Parquet files per window; 0 sizes windows from the executors'
 *                 storage memory ({@link #AUTO}); a value of at least the store's size reads
 *                 the store as one window
 * @param prefetch windows packed ahead of the one being trained on, >= 0
 */
public record WindowSettings(long bytes, int prefetch) implements Serializable {
  /** {@code input.window_bytes} = 0: a share of the executors' storage memory. */
  public static final long AUTO = 0;
  public static final int DEFAULT_PREFETCH = 1;

  public WindowSettings {
    List<String> p = new ArrayList<>();
    if (bytes < 0) {
      p.add("input.window_bytes must be >= 0 (0 = size windows from the executors' memory), got "
          + bytes);
    }
    if (prefetch < 0) {
      p.add("input.prefetch_windows must be >= 0, got " + prefetch);
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Automatic window size, one window prefetched. */
  public static WindowSettings defaults() {
    return new WindowSettings(AUTO, DEFAULT_PREFETCH);
  }
}
