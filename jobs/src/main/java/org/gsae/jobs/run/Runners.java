package org.gsae.jobs.run;

/**
 * The production runners.
 *
 * <p><b>PLACEHOLDER — NOT WIRED YET.</b> Every factory below throws
 * {@code UnsupportedOperationException("wired by the lead")}: the Spark wiring (store reader,
 * distributed trainer, analytics, encoder, SparkSession from {@link Sessions}) is added in a
 * separate change. This is the only unimplemented seam in {@code org.gsae.jobs}; until it is
 * wired, every command that gets this far exits with code 1 and says so on stderr.
 */
public final class Runners {
  private Runners() {}

  private static UnsupportedOperationException notWired(String command) {
    return new UnsupportedOperationException("wired by the lead: the " + command
        + " runner is not connected to Spark yet (org.gsae.jobs.run.Runners." + command + ")");
  }

  /** The {@code train} runner. PLACEHOLDER: throws until wired. */
  public static TrainRunner train() {
    throw notWired("train");
  }

  /** The {@code demo} runner. PLACEHOLDER: throws until wired. */
  public static DemoRunner demo() {
    throw notWired("demo");
  }

  /** The {@code analyze} runner. PLACEHOLDER: throws until wired. */
  public static AnalyzeRunner analyze() {
    throw notWired("analyze");
  }

  /** The {@code encode} runner. PLACEHOLDER: throws until wired. */
  public static EncodeRunner encode() {
    throw notWired("encode");
  }

  /** The {@code bench} runner. PLACEHOLDER: throws until wired. */
  public static BenchRunner bench() {
    throw notWired("bench");
  }
}
