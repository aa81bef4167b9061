package org.gsae.spark.demo;

import org.gsae.core.model.Variant;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.TrainConfig;

/**
 * The embedded default run: sizes of the synthetic store and the training recipe.
 *
 * @param outputDir   where {@code store/} and {@code run/} go (any Hadoop path)
 * @param rows        synthetic rows
 * @param dIn         activation width
 * @param features    true features in the generating dictionary
 * @param expectedL0  mean true features active per row
 * @param noise       noise standard deviation
 * @param dSae        SAE width
 * @param files       Parquet files in the store
 * @param train       training recipe
 */
public record DemoSpec(String outputDir, int rows, int dIn, int features, double expectedL0,
    double noise, int dSae, int files, TrainConfig train) {

  /**
   * Defaults that recover the dictionary (MMCS >= 0.9) well within two minutes on 2 cores:
   * 32,768 rows of width 64 from 128 true features (about 5 active per row), a 256-wide SAE.
   */
  public static DemoSpec defaults(String outputDir) {
    TrainConfig t = new TrainConfig(Variant.PAPER, 800, 1024, 3e-3, 50, LrSchedule.COSINE, 0.1,
        1.2, 150, 1.0, 0.0, 0.999, 1e-8, 1.0, 42, true, 400, 100);
    return new DemoSpec(outputDir, 32_768, 64, 128, 5.0, 0.02, 256, 4, t);
  }

  public DemoSpec withSteps(long steps) {
    return new DemoSpec(outputDir, rows, dIn, features, expectedL0, noise, dSae, files, train.withSteps(steps));
  }
}
