package org.gsae.jobs.run;

import org.gsae.jobs.config.HarvestOptions;

/** Runs {@code harvest}: texts in, an activation store out. */
@FunctionalInterface
public interface HarvestRunner {
  /**
   * @param options the validated harvest options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(HarvestOptions options);
}
