package org.gsae.jobs.run;

import org.gsae.jobs.config.ReportOptions;

/** Runs {@code report}: HTML pages from a training run and its analysis. */
@FunctionalInterface
public interface ReportRunner {
  /**
   * @param options the validated report options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(ReportOptions options);
}
