package org.gsae.jobs.config;

import static org.gsae.jobs.config.KeySpec.Kind.BOOLEAN;
import static org.gsae.jobs.config.KeySpec.Kind.BYTES;
import static org.gsae.jobs.config.KeySpec.Kind.DOUBLE;
import static org.gsae.jobs.config.KeySpec.Kind.ENUM;
import static org.gsae.jobs.config.KeySpec.Kind.INT;
import static org.gsae.jobs.config.KeySpec.Kind.LONG;
import static org.gsae.jobs.config.KeySpec.Kind.STRING;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.gsae.core.model.Variant;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.TrainConfig;
import org.gsae.jobs.config.KeySpec.Kind;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.gsae.spark.store.StorageLevels;
import org.gsae.spark.train.WindowSettings;

/**
 * The one list of accepted job-config keys (docs/architecture.md §5), with defaults taken from the
 * config records themselves so the two cannot disagree. {@code conf/train.conf} documents exactly
 * these keys; a test keeps them in step.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Every accepted key, in documentation order. */
  public static final List<KeySpec> ALL = build();

  private static final Map<String, KeySpec> BY_NAME = index(ALL);

  /** The spec of {@code key}, if it is an accepted key. */
  public static Optional<KeySpec> find(String key) {
    return Optional.ofNullable(BY_NAME.get(key));
  }

  /** The accepted key names, in documentation order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The canonical (lower-case) spelling of an enum constant used in config values. */
  static String word(Enum<?> e) {
    return e == null ? null : e.name().toLowerCase(Locale.ROOT);
  }

  private static List<String> words(Enum<?>[] values) {
    return Arrays.stream(values).map(ConfigKeys::word).toList();
  }

  private static List<KeySpec> build() {
    TrainConfig t = TrainConfig.defaults();
    List<KeySpec> k = new ArrayList<>();
    add(k, "input.path", STRING, null, true, c -> c.input().path());
    add(k, "input.column", STRING, InputConfig.DEFAULT_COLUMN, false, c -> c.input().column());
    addEnum(k, "input.on_invalid", words(OnInvalid.values()), word(OnInvalid.FAIL),
        c -> word(c.input().onInvalid()));
    addEnum(k, "input.cache_level", StorageLevels.NAMES, InputConfig.DEFAULT_STORAGE_LEVEL,
        c -> c.input().storageLevel().toUpperCase(Locale.ROOT));
    WindowSettings w = WindowSettings.defaults();
    add(k, "input.window_bytes", BYTES, w.bytes(), false, c -> c.window().bytes());
    add(k, "input.prefetch_windows", INT, w.prefetch(), false, c -> c.window().prefetch());
    add(k, "output.path", STRING, null, true, c -> c.output().path());
    add(k, "model.d_sae", INT, null, false, c -> c.model().dSae());
    add(k, "model.expansion_factor", DOUBLE, null, false, c -> c.model().expansionFactor());
    add(k, "model.init_from", STRING, null, false, c -> c.model().initFrom());
    addEnum(k, "model.variant", words(Variant.values()), word(t.variant()),
        c -> word(c.model().variant()));
    add(k, "train.steps", LONG, t.steps(), false, c -> c.train().steps());
    add(k, "train.batch_size", INT, t.batchSize(), false, c -> c.train().batchSize());
    add(k, "train.lr", DOUBLE, t.lr(), false, c -> c.train().lr());
    add(k, "train.lr_warmup_steps", LONG, t.lrWarmupSteps(), false, c -> c.train().lrWarmupSteps());
    addEnum(k, "train.lr_schedule", words(LrSchedule.values()), word(t.lrSchedule()),
        c -> word(c.train().lrSchedule()));
    add(k, "train.lr_end_ratio", DOUBLE, t.lrEndRatio(), false, c -> c.train().lrEndRatio());
    add(k, "train.sparsity_coefficient", DOUBLE, t.sparsityCoefficient(), false,
        c -> c.train().sparsityCoefficient());
    add(k, "train.sparsity_warmup_steps", LONG, t.sparsityWarmupSteps(), false,
        c -> c.train().sparsityWarmupSteps());
    add(k, "train.aux_coefficient", DOUBLE, t.auxCoefficient(), false,
        c -> c.train().auxCoefficient());
    add(k, "train.adam_beta1", DOUBLE, t.adamBeta1(), false, c -> c.train().adamBeta1());
    add(k, "train.adam_beta2", DOUBLE, t.adamBeta2(), false, c -> c.train().adamBeta2());
    add(k, "train.adam_eps", DOUBLE, t.adamEps(), false, c -> c.train().adamEps());
    add(k, "train.clip_grad_norm", DOUBLE, t.clipGradNorm(), false, c -> c.train().clipGradNorm());
    add(k, "train.seed", LONG, t.seed(), false, c -> c.train().seed());
    add(k, "train.shuffle", BOOLEAN, t.shuffle(), false, c -> c.train().shuffle());
    add(k, "train.checkpoint_every", LONG, t.checkpointEvery(), false,
        c -> c.train().checkpointEvery());
    add(k, "train.log_every", LONG, t.logEvery(), false, c -> c.train().logEvery());
    SparkSettings s = SparkSettings.defaults();
    add(k, "spark.partitions", INT, s.partitions(), false, c -> c.spark().partitions());
    add(k, "spark.master", STRING, null, false, c -> c.spark().master());
    AnalyzeSettings a = AnalyzeSettings.defaults();
    add(k, "analyze.after_train", BOOLEAN, a.afterTrain(), false, c -> c.analyze().afterTrain());
    add(k, "analyze.top_k", INT, a.topK(), false, c -> c.analyze().topK());
    add(k, "analyze.batch_size", INT, a.batchSize(), false, c -> c.analyze().batchSize());
    add(k, "analyze.image_shape", STRING, null, false, c -> c.analyze().imageShape());
    add(k, "analyze.label_column", STRING, null, false, c -> c.analyze().labelColumn());
    return List.copyOf(k);
  }

  private static void add(List<KeySpec> k, String key, Kind kind, Object dflt, boolean required,
      Function<JobConfig, Object> getter) {
    k.add(new KeySpec(key, kind, dflt, required, List.of(), getter));
  }

  private static void addEnum(List<KeySpec> k, String key, List<String> allowed, String dflt,
      Function<JobConfig, Object> getter) {
    k.add(new KeySpec(key, ENUM, dflt, false, allowed, getter));
  }

  private static Map<String, KeySpec> index(List<KeySpec> all) {
    Map<String, KeySpec> m = new LinkedHashMap<>();
    for (KeySpec s : all) {
      if (m.put(s.key(), s) != null) {
        throw new IllegalStateException("duplicate config key " + s.key());
      }
    }
    return m;
  }
}
