package org.gsae.core.error;

import java.util.List;

/**
 * One or more configuration problems found together (exit code 2). Each problem names the
 * config key, the value given and what is allowed, so a user fixes everything in one pass.
 */
public final class ConfigException extends GsaeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(ErrorCode.USAGE, summary(problems), null,
        "edit the config file or the --set overrides; every key is documented in conf/train.conf",
        null);
    this.problems = List.copyOf(problems);
  }

  private static String summary(List<String> problems) {
    return problems.size() == 1
        ? "invalid configuration: " + problems.get(0)
        : "invalid configuration (" + problems.size() + " problems): " + String.join("; ", problems);
  }

  /** Each problem as one sentence naming the key. */
  public List<String> problems() {
    return problems;
  }
}
