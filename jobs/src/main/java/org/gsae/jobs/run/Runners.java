package org.gsae.jobs.run;

/**
 * The production runners.
 *
 * <p>{@code train}, {@code demo} and {@code bench} are wired. <b>{@code analyze} and
 * {@code encode} are not yet</b>: their factories throw {@code UnsupportedOperationException},
 * so those commands exit with code 1 and say so on stderr.
 */
public final class Runners {
  private Runners() {}

  private static UnsupportedOperationException notWired(String command) {
    return new UnsupportedOperationException("wired by the lead: the " + command
        + " runner is not connected to Spark yet (org.gsae.jobs.run.Runners." + command + ")");
  }

  /** The {@code train} runner: distributed training on the job's SparkSession. */
  public static TrainRunner train() {
    return new SparkTrainRunner();
  }

  /** The {@code demo} runner: the embedded default on local Spark. */
  public static DemoRunner demo() {
    return new SparkDemoRunner();
  }

  /** The {@code analyze} runner. PLACEHOLDER: throws until wired. */
  public static AnalyzeRunner analyze() {
    throw notWired("analyze");
  }

  /** The {@code encode} runner. PLACEHOLDER: throws until wired. */
  public static EncodeRunner encode() {
    throw notWired("encode");
  }

  /** The {@code bench} runner: the core step, and the distributed one with --spark. */
  public static BenchRunner bench() {
    return new SparkBenchRunner();
  }
}
