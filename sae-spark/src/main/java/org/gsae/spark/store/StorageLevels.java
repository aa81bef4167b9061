package org.gsae.spark.store;

import java.util.List;
import java.util.Locale;
import org.apache.spark.storage.StorageLevel;

/** The Spark storage levels accepted for cached row blocks, by name. */
public final class StorageLevels {
  private StorageLevels() {}

  public static final List<String> NAMES = List.of("MEMORY_ONLY", "MEMORY_ONLY_SER",
      "MEMORY_AND_DISK", "MEMORY_AND_DISK_SER", "DISK_ONLY", "NONE");

  public static boolean isValid(String name) {
    return name != null && NAMES.contains(name.toUpperCase(Locale.ROOT));
  }

  /** The storage level for a valid name (case-insensitive). */
  public static StorageLevel parse(String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException("unknown storage level '" + name + "', expected one of " + NAMES);
    }
    return StorageLevel.fromString(name.toUpperCase(Locale.ROOT));
  }
}
