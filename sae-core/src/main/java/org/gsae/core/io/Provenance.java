package org.gsae.core.io;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Where a saved model came from (every model gsae writes carries it), stored under the
 * {@code gsae} key of cfg.json, where SAELens ignores it.
 *
 * @param trainConfig      the training configuration as a JSON-able map (keys as in the config
 *                         file); made canonical on construction so it compares equal after a
 *                         save and load (see {@link Json#canonical})
 * @param seed             the run's one seed ({@code train.seed})
 * @param inputPath        the activation store trained on, or null
 * @param inputFingerprint an identifier of the input's content/version (for example file
 *                         sizes and modification times hashed), or null
 * @param gsaeVersion      gsae version that wrote the model
 * @param javaVersion      {@code java.version} of the writing JVM
 * @param stepsTrained     optimiser steps taken, >= 0
 * @param createdAt        when the model was written
 */
public record Provenance(Map<String, Object> trainConfig, long seed, String inputPath,
    String inputFingerprint, String gsaeVersion, String javaVersion, long stepsTrained,
    Instant createdAt) {

  public Provenance {
    trainConfig = Json.canonical(trainConfig == null ? Map.of() : trainConfig);
    Objects.requireNonNull(gsaeVersion, "gsaeVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    if (stepsTrained < 0) {
      throw new IllegalArgumentException("stepsTrained must be >= 0, got " + stepsTrained);
    }
  }

  /** Provenance stamped now with this gsae and JVM version. */
  public static Provenance of(Map<String, ?> trainConfig, long seed, String inputPath,
      String inputFingerprint, long stepsTrained) {
    return new Provenance(trainConfig == null ? Map.of() : Json.canonical(trainConfig), seed,
        inputPath, inputFingerprint, currentGsaeVersion(), System.getProperty("java.version"),
        stepsTrained, Instant.now());
  }

  /**
   * A configuration map as it reads back from cfg.json (numbers and nesting made canonical),
   * so that it compares equal to the {@link #trainConfig()} of a loaded model.
   */
  public static Map<String, Object> canonicalConfig(Map<String, ?> config) {
    return Json.canonical(config == null ? Map.of() : config);
  }

  /** The same provenance with another step count (for checkpoints of one run). */
  public Provenance withStepsTrained(long steps) {
    return new Provenance(trainConfig, seed, inputPath, inputFingerprint, gsaeVersion,
        javaVersion, steps, createdAt);
  }

  /**
   * gsae's version from the jar manifest ({@code Implementation-Version}), or {@code "dev"}
   * when running from classes (IDE, tests) where there is no manifest.
   */
  public static String currentGsaeVersion() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
