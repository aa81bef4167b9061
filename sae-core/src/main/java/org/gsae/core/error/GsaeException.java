package org.gsae.core.error;

import java.util.Objects;

/**
 * A user-facing failure: what went wrong, where (a file, row, column or config key) and how
 * to fix it, plus the {@link ErrorCode} that decides the exit code. Build instances through
 * {@link Errors} so every message has the same three parts.
 */
public class GsaeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String problem;
  private final String where;
  private final String fix;

  public GsaeException(ErrorCode code, String problem, String where, String fix, Throwable cause) {
    super(format(problem, where, fix), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.where = where;
    this.fix = fix;
  }

  private static String format(String problem, String where, String fix) {
    StringBuilder sb = new StringBuilder(problem);
    if (where != null && !where.isEmpty()) {
      sb.append(" (at ").append(where).append(')');
    }
    if (fix != null && !fix.isEmpty()) {
      sb.append(". Fix: ").append(fix);
    }
    // One line on stderr: collapse any newline a caller or a cause message brought in.
    return sb.toString().replace('\n', ' ').replace('\r', ' ');
  }

  public ErrorCode code() {
    return code;
  }

  public String problem() {
    return problem;
  }

  /** Where the problem is (path, row, key), or null when it has no location. */
  public String where() {
    return where;
  }

  /** How to fix it, or null when there is nothing the user can do. */
  public String fix() {
    return fix;
  }
}
