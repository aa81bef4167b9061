package org.gsae.core.error;

/**
 * The closed set of user-facing failure kinds. Each maps to one process exit code
 * (docs/architecture.md §5), so scripts and schedulers can tell a bad config from bad data from a
 * storage outage without parsing messages. Tests assert on these codes.
 */
public enum ErrorCode {
  /** Command-line usage or configuration error: fix the invocation or the config file. */
  USAGE(2),
  /** The activation store or a model directory holds data that violates its contract. */
  INVALID_INPUT(3),
  /** Reading or writing storage failed (missing path, permission, full disk, network FS). */
  IO(4),
  /** Anything else: a bug or an unexpected environment problem. */
  INTERNAL(1);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The process exit code a job returns for this kind of failure. */
  public int exitCode() {
    return exitCode;
  }
}
