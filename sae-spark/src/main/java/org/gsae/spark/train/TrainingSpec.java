package org.gsae.spark.train;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;

/**
 * Everything a training run needs, already validated by the caller (the jobs layer).
 *
 * @param input      the activation store
 * @param window     how the store is read in windows
 * @param outputPath where {@code model/}, {@code checkpoints/} and {@code metrics.parquet} go
 * @param dSaeForDIn {@code d_sae} as a function of the store's {@code d_in}
 *                   ({@code model.d_sae} or {@code model.expansion_factor}), or null to take
 *                   the width of {@code initFrom} (then {@code initFrom} is required)
 * @param initFrom   a model directory to start from ({@code model.init_from}), or null
 * @param train      training hyperparameters
 * @param partitions {@code spark.partitions}: repartition the store to this many, 0 = keep
 * @param config     the full resolved configuration, recorded as provenance
 * @param storeCheck checks the opened store needs to pass before any training (for example
 *                   that the analysis after training will be able to write its columns), or
 *                   null; throws to stop the run
 */
public record TrainingSpec(InputConfig input, WindowSettings window, String outputPath,
    IntUnaryOperator dSaeForDIn,
    String initFrom, TrainConfig train, int partitions, Map<String, Object> config,
    Consumer<ActivationStore> storeCheck) {

  public TrainingSpec {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(outputPath, "outputPath");
    if (dSaeForDIn == null && initFrom == null) {
      throw new IllegalArgumentException(
          "without initFrom the width function dSaeForDIn is required");
    }
    Objects.requireNonNull(train, "train");
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    config = config == null ? Map.of() : Map.copyOf(config);
  }
}
