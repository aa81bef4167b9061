package org.gsae.spark.store;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.ConfigException;

/**
 * Where and how to read an activation store (docs/architecture.md §4). Config keys {@code input.*}.
 *
 * @param path         a Parquet file, a directory or a glob, any Hadoop path ({@code input.path})
 * @param column       the activation column ({@code input.column}, default {@code activation})
 * @param onInvalid    policy for invalid rows ({@code input.on_invalid}, default {@code fail})
 * @param storageLevel Spark storage level of the packed row blocks ({@code input.cache_level},
 *                     default {@code MEMORY_AND_DISK})
 */
public record InputConfig(String path, String column, OnInvalid onInvalid, String storageLevel)
    implements Serializable {

  public static final String DEFAULT_COLUMN = "activation";
  public static final String DEFAULT_STORAGE_LEVEL = "MEMORY_AND_DISK";

  public InputConfig {
    List<String> p = new ArrayList<>();
    if (path == null || path.isBlank()) {
      p.add("input.path must be set to a Parquet file, directory or glob");
    }
    if (column == null || column.isBlank()) {
      p.add("input.column must name the activation column, got an empty value");
    }
    if (onInvalid == null) {
      p.add("input.on_invalid must be one of fail, skip");
    }
    if (storageLevel == null || !StorageLevels.isValid(storageLevel)) {
      p.add("input.cache_level must be one of " + StorageLevels.NAMES + ", got '" + storageLevel + "'");
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Defaults for everything but the path. */
  public static InputConfig of(String path) {
    return new InputConfig(path, DEFAULT_COLUMN, OnInvalid.FAIL, DEFAULT_STORAGE_LEVEL);
  }
}
