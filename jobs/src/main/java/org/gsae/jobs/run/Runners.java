package org.gsae.jobs.run;

/**
 * The production runners.
 *
 * <p>{@code train}, {@code demo}, {@code analyze} and {@code encode} are wired. <b>{@code bench}
 * is not yet</b>: its factory throws {@code UnsupportedOperationException}, so that command
 * exits with code 1 and says so on stderr.
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

  /** The {@code analyze} runner: the distributed analysis pass on the job's SparkSession. */
  public static AnalyzeRunner analyze() {
    return new SparkAnalyzeRunner();
  }

  /** The {@code encode} runner: Parquet activations to Parquet codes on the job's SparkSession. */
  public static EncodeRunner encode() {
    return new SparkEncodeRunner();
  }

  /** The {@code bench} runner. PLACEHOLDER: throws until wired. */
  public static BenchRunner bench() {
    throw notWired("bench");
  }
}
