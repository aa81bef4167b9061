package org.gsae.jobs.run;

/**
 * The production runners.
 *
 * <p>Every command is wired to Spark.
 */
public final class Runners {
  private Runners() {}

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

  /** The {@code shuffle} runner: a shuffled copy of a store on the job's SparkSession. */
  public static ShuffleRunner shuffle() {
    return new SparkShuffleRunner();
  }

  /** The {@code report} runner: HTML pages from a run and its analysis. */
  public static ReportRunner report() {
    return new SparkReportRunner();
  }

  /** The {@code import-idx} runner: an IDX image dataset as a store. */
  public static ImportIdxRunner importIdx() {
    return new SparkImportIdxRunner();
  }

  /** The {@code bench} runner: the core step, and the distributed one with --spark. */
  public static BenchRunner bench() {
    return new SparkBenchRunner();
  }

  /** The {@code harvest} runner: a transformer over texts on the job's SparkSession. */
  public static HarvestRunner harvest() {
    return new SparkHarvestRunner();
  }

  /** The {@code evaluate} runner: the SAE spliced into its transformer. */
  public static EvaluateRunner evaluate() {
    return new SparkEvaluateRunner();
  }
}
