package org.gsae.jobs.cli;

import org.gsae.core.loss.GatedLoss;
import org.gsae.jobs.config.BenchOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae bench}: throughput of the training step. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    header = "Throughput of the training step (tokens/s, GFLOP/s).",
    description = {
        "Time the training step on random data and print tokens/s and achieved GFLOP/s",
        "(against the dense floor of 2*d_in*d_sae FLOPs per token)."})
public final class BenchCommand extends JobCommand {

  @Option(names = "--d-in", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_D_IN,
      description = "Input width (default: ${DEFAULT-VALUE}).")
  int dIn;

  @Option(names = "--d-sae", paramLabel = "M", defaultValue = "" + BenchOptions.DEFAULT_D_SAE,
      description = "Dictionary width (default: ${DEFAULT-VALUE}).")
  int dSae;

  @Option(names = {"--batch", "--batch-size"}, paramLabel = "B",
      defaultValue = "" + BenchOptions.DEFAULT_BATCH_SIZE,
      description = "Global rows per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--threads", paramLabel = "T", defaultValue = "" + BenchOptions.DEFAULT_THREADS,
      description = "Worker threads of the core step, one BLAS thread each (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--target-l0", paramLabel = "K", defaultValue = "" + BenchOptions.DEFAULT_TARGET_L0,
      description = "Calibrate b_gate so the mean L0 is about K; 0 opens every gate (default: ${DEFAULT-VALUE}).")
  int targetL0;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_STEPS,
      description = "Timed steps; the median is reported (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "" + BenchOptions.DEFAULT_WARMUP,
      description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--chunk-rows", paramLabel = "R", defaultValue = "" + BenchOptions.DEFAULT_CHUNK_ROWS,
      description = "Rows evaluated at once; bounds the [R, d_sae] intermediates (default: ${DEFAULT-VALUE}).")
  int chunkRows;

  @Option(names = "--dense-above", paramLabel = "F",
      defaultValue = "" + GatedLoss.AUTO,
      description = "Open-gate fraction above which a chunk runs dense; -1 = as train: "
          + GatedLoss.DEFAULT_DENSE_ABOVE + " + " + (int) GatedLoss.AUTO_ROWS
          + " / (the chunk's rows) (default: ${DEFAULT-VALUE}).")
  double denseAbove;

  @Option(names = "--spark", paramLabel = "MASTER",
      description = "Also time the Spark step on this master, e.g. local[2], on the same global"
          + " batch, alternating with core steps; prints the median per-round Spark/core ratio.")
  String sparkMaster;

  @Option(names = "--partitions", paramLabel = "P", defaultValue = "" + BenchOptions.DEFAULT_PARTITIONS,
      description = "Partitions of the Spark step; 0 = as train chooses: in local mode the step"
          + " in the driver's JVM (rows gathered from one partition per core), on a cluster one"
          + " partition per executor core (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--json", description = "Print one JSON object per result.")
  boolean json;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + BenchOptions.DEFAULT_SEED,
      description = "Seed of the data and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--ingest", paramLabel = "ROWS", defaultValue = "0",
      description = "Time the store reader instead: pack ROWS rows of width --d-in from Parquet"
          + " (array<float>, array<double>, Vector) on --spark (default local[--threads]) and"
          + " print MB/s per core; --steps timed packs per type.")
  int ingestRows;

  @Override
  protected Report execute() {
    BenchOptions options = new BenchOptions(dIn, dSae, batchSize, threads, targetL0, steps, warmup,
        chunkRows, denseAbove, sparkMaster, partitions, json, seed, ingestRows);
    return context.runners().bench().run(options);
  }
}
