package org.gsae.spark.train;

import java.nio.file.Path;
import java.util.Map;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.model.Variant;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.demo.SyntheticStore;
import org.gsae.spark.store.InputConfig;

/** A small synthetic store on disk plus a short training recipe, shared by the trainer tests. */
final class TrainFixtures {
  static final int ROWS = 1000;   // not a multiple of the batch: batches straddle epochs
  static final int D_IN = 16;
  static final int D_SAE = 48;

  private TrainFixtures() {}

  static SyntheticActivations data() {
    return SyntheticActivations.generate(ROWS, D_IN, 32, 3.0, 0.05, 5);
  }

  /** Writes {@link #data()} as a 3-file Parquet store under {@code dir}; returns its path. */
  static String writeStore(Path dir) {
    String path = dir.resolve("store").toUri().toString();
    SyntheticStore.write(SparkTestSession.get(), path, data(), 3);
    return path;
  }

  static TrainConfig config(long steps, long checkpointEvery, boolean shuffle) {
    return new TrainConfig(Variant.PAPER, steps, 128, 1e-3, 3, LrSchedule.COSINE, 0.1, 0.8, 5, 1.0,
        0.0, 0.999, 1e-8, 1.0, 17, shuffle, checkpointEvery, 5);
  }

  static TrainingSpec spec(String store, Path out, TrainConfig train, int partitions) {
    return new TrainingSpec(InputConfig.of(store), WindowSettings.defaults(),
        out.toUri().toString(), dIn -> D_SAE, null, train, partitions, Map.of("test", true), null);
  }
}
