package org.gsae.jobs.run;

import org.gsae.jobs.config.BenchOptions;

/** Runs {@code bench}: times the training step, reports tokens/s and GFLOP/s. */
@FunctionalInterface
public interface BenchRunner {
  /**
   * @param options the validated bench options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(BenchOptions options);
}
