package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.gsae.core.error.ConfigException;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.train.WindowSettings;

/**
 * Everything a {@code train} job needs, validated: built by {@link ConfigLoader} from a config
 * file and {@code --set} overrides before any SparkSession exists.
 *
 * @param input   the activation store ({@code input.*})
 * @param window  how training reads the store in windows ({@code input.window_bytes},
 *                {@code input.prefetch_windows})
 * @param output  where results go ({@code output.*})
 * @param model   the dictionary ({@code model.*})
 * @param train   optimisation hyperparameters ({@code train.*}; its variant is {@code model.variant})
 * @param spark   partitions and fallback master ({@code spark.*})
 * @param analyze the analysis after training ({@code analyze.*})
 */
public record JobConfig(InputConfig input, WindowSettings window, OutputConfig output,
    ModelConfig model,
    TrainConfig train, SparkSettings spark, AnalyzeSettings analyze)
    implements Serializable {

  public JobConfig {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(analyze, "analyze");
    if (model.variant() != train.variant()) {
      throw new ConfigException(List.of("model.variant (" + model.variant()
          + ") and the training variant (" + train.variant() + ") differ; build both from model.variant"));
    }
    String clash = outputClash(input.path(), output.path());
    if (clash != null) {
      throw new ConfigException(List.of(clash));
    }
  }

  /** All defaults, for the given input and output paths. */
  public static JobConfig defaults(String inputPath, String outputPath) {
    return new JobConfig(InputConfig.of(inputPath), WindowSettings.defaults(),
        new OutputConfig(outputPath),
        ModelConfig.defaults(), TrainConfig.defaults(), SparkSettings.defaults(),
        AnalyzeSettings.defaults());
  }

  /**
   * Every key with its effective value, in {@link ConfigKeys} order; keys left unset (such as
   * {@code model.init_from}) are absent. Suitable for provenance ({@code cfg.json}).
   */
  public Map<String, Object> asKeyValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeySpec k : ConfigKeys.ALL) {
      Object v = k.getter().apply(this);
      if (v != null) {
        m.put(k.key(), v);
      }
    }
    return m;
  }

  /**
   * The problem when the output would overwrite the input: the same path once trailing
   * slashes are removed. Null when they differ.
   */
  static String outputClash(String inputPath, String outputPath) {
    if (inputPath == null || outputPath == null) {
      return null;
    }
    if (!normalise(inputPath).equals(normalise(outputPath))) {
      return null;
    }
    return "output.path = '" + outputPath + "' is the same location as input.path = '" + inputPath
        + "'; the job would write over its activation store: choose a different output.path";
  }

  /** The path with trailing slashes removed (a lone "/" stays). */
  static String normalise(String path) {
    String p = path.strip();
    int end = p.length();
    while (end > 1 && p.charAt(end - 1) == '/') {
      end--;
    }
    return p.substring(0, end);
  }
}
