package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.List;
import org.gsae.core.error.ConfigException;

/**
 * Where a training job writes ({@code output.path}): {@code model/}, {@code checkpoints/}
 * and {@code metrics.parquet} go under it, and a rerun resumes from its newest checkpoint.
 *
 * @param path any Hadoop path (a local directory, {@code hdfs://...}, {@code s3a://...})
 */
public record OutputConfig(String path) implements Serializable {

  public OutputConfig {
    if (path == null || path.isBlank()) {
      throw new ConfigException(List.of(
          "output.path must be set to the directory the job writes its model, checkpoints and metrics to"));
    }
  }
}
