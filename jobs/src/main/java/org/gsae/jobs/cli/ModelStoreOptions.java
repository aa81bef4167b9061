package org.gsae.jobs.cli;

import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import picocli.CommandLine.Option;

/** The model and activation-store options that {@code analyze} and {@code encode} share (a picocli mixin). */
final class ModelStoreOptions {

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Activation store: a Parquet file, directory or glob.")
  String input;

  @Option(names = "--column", paramLabel = "NAME", defaultValue = InputConfig.DEFAULT_COLUMN,
      description = "Activation column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(names = "--on-invalid", paramLabel = "fail|skip", defaultValue = "fail",
      converter = WordConverters.OnInvalidWord.class,
      description = "Invalid rows (null, NaN, wrong length): fail or skip and count"
          + " (default: fail).")
  OnInvalid onInvalid;
}
