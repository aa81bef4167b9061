package org.gsae.jobs.run;

import org.gsae.jobs.config.AnalyzeOptions;

/** Runs {@code analyze}: one pass over the store with a trained model. */
@FunctionalInterface
public interface AnalyzeRunner {
  /**
   * @param options the validated analyze options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(AnalyzeOptions options);
}
