package org.gsae.jobs.config;

import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.Errors;

/**
 * Collects the problems of one command's options so they are reported together, as one
 * usage error (exit code 2) naming the options.
 */
final class OptionProblems {
  private final String command;
  private final List<String> problems = new ArrayList<>();

  OptionProblems(String command) {
    this.command = command;
  }

  /** Records {@code problem} unless {@code ok}. */
  void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  /** Records a problem when {@code value} is null or blank. */
  void requirePath(String value, String option, String what) {
    check(value != null && !value.isBlank(), option + " must name " + what + ", got an empty value");
  }

  /** Records a problem when two path options name the same location. */
  void distinct(String a, String optionA, String b, String optionB, String why) {
    if (a != null && b != null && !a.isBlank()
        && JobConfig.normalise(a).equals(JobConfig.normalise(b))) {
      problems.add(optionA + " '" + a + "' is the same location as " + optionB + " '" + b + "'; "
          + why);
    }
  }

  /** Throws one usage error listing every problem, if there are any. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    String problem = problems.size() == 1
        ? "invalid option: " + problems.get(0)
        : "invalid options (" + problems.size() + " problems): " + String.join("; ", problems);
    throw Errors.usage(problem, "sae " + command, "see 'sae " + command + " --help'");
  }
}
