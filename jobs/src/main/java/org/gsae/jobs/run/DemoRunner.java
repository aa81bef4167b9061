package org.gsae.jobs.run;

import org.gsae.jobs.config.DemoOptions;

/** Runs {@code demo}: synthetic store with known features, train, analyse, report recovery. */
@FunctionalInterface
public interface DemoRunner {
  /**
   * @param options the validated demo options
   * @return what to print on success
   * @throws org.gsae.core.error.GsaeException for user-facing failures (its code is the exit code)
   */
  Report run(DemoOptions options);
}
