package org.gsae.jobs.run;

import org.gsae.jobs.config.ShuffleOptions;

/** Runs {@code shuffle}: a store in, a globally shuffled copy out. */
@FunctionalInterface
public interface ShuffleRunner {
  /**
   * @param options the validated shuffle options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(ShuffleOptions options);
}
