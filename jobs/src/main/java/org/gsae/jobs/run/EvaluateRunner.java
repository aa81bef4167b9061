package org.gsae.jobs.run;

import org.gsae.jobs.config.EvaluateOptions;

/** Runs {@code evaluate}: an SAE spliced into its transformer. */
@FunctionalInterface
public interface EvaluateRunner {
  /**
   * @param options the validated evaluate options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(EvaluateOptions options);
}
