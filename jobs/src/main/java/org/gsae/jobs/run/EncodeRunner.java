package org.gsae.jobs.run;

import org.gsae.jobs.config.EncodeOptions;

/** Runs {@code encode}: Parquet activations in, Parquet feature codes out. */
@FunctionalInterface
public interface EncodeRunner {
  /**
   * @param options the validated encode options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(EncodeOptions options);
}
