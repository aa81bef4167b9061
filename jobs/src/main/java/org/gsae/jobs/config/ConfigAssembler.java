package org.gsae.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.gsae.core.error.ConfigException;
import org.gsae.core.model.Variant;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.gsae.spark.train.WindowSettings;

/**
 * Turns a resolved config into a {@link JobConfig}, collecting every problem: unknown keys
 * (with a suggestion), missing required keys, wrong types, values not allowed, the records'
 * own range checks, conflicting keys and an output that would overwrite the input.
 * Single use: one instance per load.
 */
final class ConfigAssembler {
  /** Stands in for a missing required path so the records' other checks still run. */
  private static final String MISSING = "<missing>";

  private final Config config;
  private final List<String> problems;
  /** Key to typed value as given; absent when not given or not readable. */
  private final Map<String, Object> given = new HashMap<>();

  ConfigAssembler(Config resolved, List<String> problems) {
    this.config = resolved;
    this.problems = problems;
  }

  JobConfig assemble() {
    checkUnknownKeys();
    readKnownKeys();
    InputConfig input = build(() -> new InputConfig(pathOrMissing("input.path"),
        (String) value("input.column"),
        OnInvalid.valueOf(upper(value("input.on_invalid"))), (String) value("input.cache_level")));
    WindowSettings window = build(() -> new WindowSettings(lng("input.window_bytes"),
        integer("input.prefetch_windows")));
    OutputConfig output = build(() -> new OutputConfig(pathOrMissing("output.path")));
    Variant variant = Variant.valueOf(upper(value("model.variant")));
    ModelConfig model = build(() -> new ModelConfig((Integer) value("model.d_sae"),
        (Double) value("model.expansion_factor"), (String) value("model.init_from"), variant));
    TrainConfig train = build(() -> new TrainConfig(variant, lng("train.steps"),
        integer("train.batch_size"), dbl("train.lr"), lng("train.lr_warmup_steps"),
        LrSchedule.valueOf(upper(value("train.lr_schedule"))), dbl("train.lr_end_ratio"),
        dbl("train.sparsity_coefficient"), lng("train.sparsity_warmup_steps"),
        dbl("train.aux_coefficient"), dbl("train.adam_beta1"), dbl("train.adam_beta2"),
        dbl("train.adam_eps"), dbl("train.clip_grad_norm"), lng("train.seed"),
        (Boolean) value("train.shuffle"), lng("train.checkpoint_every"), lng("train.log_every")));
    SparkSettings spark = build(() -> new SparkSettings(integer("spark.partitions"),
        (String) value("spark.master")));
    AnalyzeSettings analyze = build(() -> new AnalyzeSettings(
        (Boolean) value("analyze.after_train"), integer("analyze.top_k"),
        integer("analyze.batch_size"), (String) value("analyze.image_shape"),
        (String) value("analyze.label_column")));
    String clash = JobConfig.outputClash((String) given.get("input.path"),
        (String) given.get("output.path"));
    if (clash != null) {
      problems.add(clash);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new JobConfig(input, window, output, model, train, spark, analyze);
  }

  private void checkUnknownKeys() {
    Map<String, ConfigValue> unknown = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      if (ConfigKeys.find(e.getKey()).isEmpty()) {
        unknown.put(e.getKey(), e.getValue());
      }
    }
    unknown.forEach((key, v) -> problems.add("unknown key '" + key + "'" + ConfigValues.where(v)
        + Suggestions.closest(key, ConfigKeys.ALL).map(s -> "; did you mean '" + s + "'?")
            .orElse("; see conf/train.conf for the accepted keys")));
  }

  private void readKnownKeys() {
    for (KeySpec spec : ConfigKeys.ALL) {
      boolean present;
      try {
        present = config.hasPath(spec.key());
      } catch (com.typesafe.config.ConfigException e) {
        present = false; // a parent is not an object: reported as an unknown key already
      }
      if (!present) {
        if (spec.required()) {
          problems.add("missing required key " + spec.key() + ": set it in the config file or with"
              + " --set " + spec.key() + "=...");
        }
        continue;
      }
      Object v = ConfigValues.read(config, spec, problems);
      if (v != null) {
        given.put(spec.key(), v);
      }
    }
  }

  /** The given value, else the key's default (also after a type problem, so checks go on). */
  private Object value(String key) {
    Object v = given.get(key);
    return v != null ? v : ConfigKeys.find(key).orElseThrow().defaultValue();
  }

  private String pathOrMissing(String key) {
    Object v = given.get(key);
    return v != null ? (String) v : MISSING;
  }

  private long lng(String key) {
    return (Long) value(key);
  }

  private int integer(String key) {
    return (Integer) value(key);
  }

  private double dbl(String key) {
    return (Double) value(key);
  }

  private static String upper(Object word) {
    return ((String) word).toUpperCase(Locale.ROOT);
  }

  /** The record, or null after merging its problems into ours. */
  private <T> T build(Supplier<T> ctor) {
    try {
      return ctor.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }
}
