package org.gsae.jobs.run;

import org.gsae.jobs.config.ImportIdxOptions;

/** Runs {@code import-idx}: an IDX image dataset as an activation store. */
@FunctionalInterface
public interface ImportIdxRunner {
  /**
   * @param options the validated options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(ImportIdxOptions options);
}
