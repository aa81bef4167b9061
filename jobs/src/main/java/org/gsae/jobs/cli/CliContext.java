package org.gsae.jobs.cli;

import java.io.PrintStream;
import java.util.Map;
import org.gsae.jobs.run.RunnerProvider;

/** What the subcommands get from the top-level command: runners, stdout and environment. */
public interface CliContext {
  /** Where runners come from (fakes in tests). */
  RunnerProvider runners();

  /** Standard output, for reports. */
  PrintStream out();

  /** The environment for {@code ${VAR}} substitutions in config files. */
  Map<String, String> env();
}
