package org.gsae.jobs.config;

import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;

/**
 * The {@code shuffle} command, validated: a store in, a globally shuffled copy out
 * (docs/architecture.md §5).
 *
 * @param inputPath  activation store: Parquet file, directory or glob ({@code --input})
 * @param column     activation column ({@code --column}), checked to exist with a usable type
 * @param outputPath the shuffled copy ({@code --output}); not the input
 * @param files      part files to write ({@code --files}), >= 1
 * @param seed       the order ({@code --seed})
 */
public record ShuffleOptions(String inputPath, String column, String outputPath, int files,
    long seed) {

  public static final int DEFAULT_FILES = 16;
  public static final long DEFAULT_SEED = 42;

  public ShuffleOptions {
    OptionProblems p = new OptionProblems("shuffle");
    p.requirePath(inputPath, "--input", "a Parquet file, directory or glob");
    p.requirePath(column, "--column", "the activation column");
    p.requirePath(outputPath, "--output", "the output directory");
    p.check(files >= 1, "--files must be >= 1, got " + files);
    p.distinct(outputPath, "--output", inputPath, "--input",
        "the shuffled copy would be written over the store: choose another --output");
    p.throwIfAny();
  }

  /** The store to read (rows are copied, not validated, so on_invalid does not apply). */
  public InputConfig input() {
    return new InputConfig(inputPath, column, OnInvalid.FAIL, InputConfig.DEFAULT_STORAGE_LEVEL);
  }
}
