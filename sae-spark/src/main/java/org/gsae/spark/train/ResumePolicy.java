package org.gsae.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.gsae.core.error.Errors;

/**
 * What a resumed run may change. A resume continues one run, so every key that defines what is
 * trained (the objective, the optimiser, the schedules, the data and the order it is read in)
 * must equal the value the checkpoint was written with; a change is refused with every
 * differing key and both values. ({@code input.path} may change: the store's identity is its
 * fingerprint, which the checkpoint records and the run checks, so a store that moved is
 * still the same store.) Keys that only say how the run is executed or reported
 * ({@code train.checkpoint_every}, {@code train.log_every}, {@code spark.*}, {@code analyze.*},
 * {@code input.cache_level}, {@code input.prefetch_windows}) and {@code train.steps} under a
 * constant learning rate (extending or shortening a run) may change; such changes are recorded
 * in the model's provenance as {@code resumes: [{at_step, changed: {key: [before, after]}}]}.
 * {@code model.init_from} is not read on a resume, so its value does not matter.
 */
final class ResumePolicy {
  /** Keys whose value defines the trained model. */
  static final Set<String> DEFINING = Set.of(
      "input.column", "input.on_invalid", "input.window_bytes",
      "model.d_sae", "model.expansion_factor", "model.variant",
      "train.batch_size", "train.lr", "train.lr_warmup_steps", "train.lr_schedule",
      "train.lr_end_ratio", "train.sparsity_coefficient", "train.sparsity_warmup_steps",
      "train.aux_coefficient", "train.adam_beta1", "train.adam_beta2", "train.adam_eps",
      "train.clip_grad_norm", "train.seed", "train.shuffle");

  /** The provenance key holding the history of resumes that changed something. */
  static final String HISTORY = "resumes";

  /** Keys neither defining nor worth recording. */
  private static final Set<String> IGNORED = Set.of("model.init_from", HISTORY);

  private ResumePolicy() {}

  /**
   * Checks a resume and returns the configuration to record: {@code now} plus the history of
   * earlier resumes and, when allowed keys changed, this one.
   *
   * @param before the configuration recorded in the checkpoint (empty when it has none)
   * @param now    this run's configuration
   * @param step   the checkpoint's step
   * @param where  the checkpoint, for the message
   * @throws org.gsae.core.error.GsaeException USAGE listing every changed defining key
   */
  static Map<String, Object> check(Map<String, Object> before, Map<String, Object> now,
      long step, String where) {
    Set<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(now.keySet());
    keys.removeAll(IGNORED);
    boolean cosine = "cosine".equals(before.get("train.lr_schedule"))
        || "cosine".equals(now.get("train.lr_schedule"));
    List<String> refused = new ArrayList<>();
    Map<String, Object> changed = new LinkedHashMap<>();
    for (String k : keys) {
      if (before.isEmpty() || !before.containsKey(k) && !now.containsKey(k)) {
        continue;
      }
      Object a = before.get(k);
      Object b = now.get(k);
      if (Objects.equals(a, b)) {
        continue;
      }
      // A key the checkpoint does not record came with a newer gsae; its effect on the data
      // order is checked apart (DataCursor.checkWindows).
      if (DEFINING.contains(k) && before.containsKey(k) || k.equals("train.steps") && cosine) {
        refused.add(k + " " + a + " -> " + b);
      } else {
        changed.put(k, Arrays.asList(a, b));
      }
    }
    if (!refused.isEmpty()) {
      throw Errors.usage("resuming would change what defines the run: " + String.join(", ", refused)
          + (cosine && refused.stream().anyMatch(r -> r.startsWith("train.steps "))
              ? " (train.steps sets the cosine decay of every step)" : ""),
          where, "re-run with the values the checkpoint was written with, or choose a new"
              + " output.path to start a new run with the new values");
    }
    Map<String, Object> out = new LinkedHashMap<>(now);
    List<Object> history = new ArrayList<>();
    if (before.get(HISTORY) instanceof List<?> earlier) {
      history.addAll(earlier);
    }
    if (!changed.isEmpty()) {
      history.add(Map.of("at_step", step, "changed", changed));
    }
    if (!history.isEmpty()) {
      out.put(HISTORY, history);
    }
    return out;
  }
}
