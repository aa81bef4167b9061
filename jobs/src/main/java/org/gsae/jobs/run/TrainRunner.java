package org.gsae.jobs.run;

import org.gsae.jobs.config.JobConfig;

/** Runs {@code train}: trains (resuming from the newest checkpoint), writes, analyses. */
@FunctionalInterface
public interface TrainRunner {
  /**
   * @param cfg the validated job config
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(JobConfig cfg);
}
