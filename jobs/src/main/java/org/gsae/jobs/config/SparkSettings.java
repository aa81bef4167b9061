package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gsae.core.error.ConfigException;

/**
 * How the job uses Spark ({@code spark.*} keys of the job config; Spark's own settings come
 * from spark-submit or {@code -Dspark.*} system properties, not from here).
 *
 * @param partitions number of partitions of the packed row blocks, 0 = keep the store's
 *                   ({@code spark.partitions}), >= 0
 * @param master     master URL used only when spark-submit did not set one
 *                   ({@code spark.master}); null = {@code local[*]}
 */
public record SparkSettings(int partitions, String master) implements Serializable {

  /** Keep the partitioning the store was read with. */
  public static final int KEEP_PARTITIONS = 0;

  public SparkSettings {
    List<String> p = new ArrayList<>();
    if (partitions < 0) {
      p.add("spark.partitions must be >= 0 (0 = keep the store's partitioning), got " + partitions);
    }
    if (master != null && master.isBlank()) {
      p.add("spark.master must be a master URL such as local[4] or spark://host:7077, got an empty value"
          + " (remove the key to use spark-submit's master or local[*])");
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Defaults: keep the store's partitions, no master of our own. */
  public static SparkSettings defaults() {
    return new SparkSettings(KEEP_PARTITIONS, null);
  }

  /** The configured master, if any (used only when spark-submit set none). */
  public Optional<String> configuredMaster() {
    return Optional.ofNullable(master);
  }
}
