package org.gsae.core.error;

import java.util.concurrent.CompletionException;

/**
 * The one factory for user-facing errors (after Delta kernel's exception principles):
 * each message states the problem with the offending value, where it is, and how to fix it.
 */
public final class Errors {
  private Errors() {}

  /** A configuration or command-line problem (exit code 2). */
  public static GsaeException usage(String problem, String where, String fix) {
    return new GsaeException(ErrorCode.USAGE, problem, where, fix, null);
  }

  /** Data that violates its contract: the activation store or a model directory (exit code 3). */
  public static GsaeException invalidInput(String problem, String where, String fix) {
    return new GsaeException(ErrorCode.INVALID_INPUT, problem, where, fix, null);
  }

  /** Same as {@link #invalidInput(String, String, String)} with the underlying cause kept for the log. */
  public static GsaeException invalidInput(String problem, String where, String fix, Throwable cause) {
    return new GsaeException(ErrorCode.INVALID_INPUT, problem, where, fix, cause);
  }

  /** A storage failure while reading or writing {@code path} during {@code step} (exit code 4). */
  /**
   * Not enough memory for what the input needs (exit code 1): the bytes needed, the limit, and
   * the setting that raises it.
   */
  public static GsaeException memory(String problem, String where, String fix) {
    return new GsaeException(ErrorCode.INTERNAL, problem, where, fix, null);
  }

  public static GsaeException io(String step, String path, Throwable cause) {
    String detail = cause == null ? "" : ": " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    return new GsaeException(ErrorCode.IO, "I/O failure while " + step + detail, path,
        "check that the path exists, is reachable and is writable/readable by this user", cause);
  }

  /**
   * Precondition at a public entry point: throws {@link IllegalArgumentException} with the
   * actual values in the message when {@code ok} is false.
   */
  public static void check(boolean ok, String messageFormat, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(messageFormat, args));
    }
  }

  /**
   * What to throw for a failed {@code CompletableFuture.join()}: its cause as it was thrown
   * (a {@link GsaeException} keeps its exit code and message); an {@link Error} cause is
   * thrown from here; a checked cause stays wrapped in {@code e}.
   */
  public static RuntimeException unwrap(CompletionException e) {
    if (e.getCause() instanceof RuntimeException r) {
      return r;
    }
    if (e.getCause() instanceof Error err) {
      throw err;
    }
    return e;
  }
}
