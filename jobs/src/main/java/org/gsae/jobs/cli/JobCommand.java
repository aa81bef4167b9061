package org.gsae.jobs.cli;

import java.util.concurrent.Callable;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.ParentCommand;

/**
 * Base of the subcommands: validate, run, print the report, return exit code 0. Failures are
 * thrown and turned into exit codes by {@link org.gsae.jobs.Main}.
 */
public abstract class JobCommand implements Callable<Integer> {

  /** Injected by picocli: the {@code sae} command. */
  @ParentCommand
  protected CliContext context;

  @Override
  public final Integer call() {
    Report report = execute();
    if (report != null) {
      context.out().println(report.render());
    }
    return 0;
  }

  /** Validates the options, runs the job and returns what to print (null: nothing). */
  protected abstract Report execute();
}
