package org.gsae.spark.shuffle;

import java.util.Objects;
import org.gsae.spark.store.InputConfig;

/**
 * What {@code shuffle} reads and writes.
 *
 * @param input      the activation store (its column and type are checked as for training;
 *                   rows are copied as they are, invalid or not)
 * @param outputPath the shuffled copy (a Parquet dataset directory)
 * @param files      part files to write, >= 1
 * @param seed       the order: the same store and seed give the same output, row for row
 */
public record ShuffleSpec(InputConfig input, String outputPath, int files, long seed) {
  public ShuffleSpec {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(outputPath, "outputPath");
    if (files < 1) {
      throw new IllegalArgumentException("files must be >= 1, got " + files);
    }
  }
}
