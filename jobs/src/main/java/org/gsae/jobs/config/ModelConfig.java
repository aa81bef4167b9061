package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gsae.core.error.ConfigException;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;

/**
 * The dictionary to train ({@code model.*} keys). Its width m = {@code d_sae} is either given
 * directly or as a multiple of the input width n = {@code d_in}, which is only known once the
 * store has been read: {@link #dSae(int)} resolves it then.
 *
 * @param dSae            fixed dictionary width ({@code model.d_sae}), >= 1, or null
 * @param expansionFactor m = round(factor * n) ({@code model.expansion_factor}), > 0, or null;
 *                        when both are null the width is that of {@code initFrom}, or else
 *                        {@value #DEFAULT_EXPANSION_FACTOR} times n
 * @param initFrom        model directory to start from instead of a fresh initialisation
 *                        ({@code model.init_from}), or null
 * @param variant         objective and decoder treatment ({@code model.variant})
 */
public record ModelConfig(Integer dSae, Double expansionFactor, String initFrom, Variant variant)
    implements Serializable {

  public static final double DEFAULT_EXPANSION_FACTOR = 8;

  /** Largest parameter count whose flat {@code float[]} (broadcast each step) a JVM can hold. */
  static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8L;

  public ModelConfig {
    List<String> p = new ArrayList<>();
    if (dSae != null && expansionFactor != null) {
      p.add("model.d_sae = " + dSae + " and model.expansion_factor = " + expansionFactor
          + " conflict: set only one of them (d_sae fixes the dictionary width, expansion_factor"
          + " makes it d_in * factor)");
    }
    if (dSae != null && dSae < 1) {
      p.add("model.d_sae must be >= 1, got " + dSae);
    }
    if (expansionFactor != null && !(expansionFactor > 0 && Double.isFinite(expansionFactor))) {
      p.add("model.expansion_factor must be a finite number > 0, got " + expansionFactor);
    }
    if (initFrom != null && initFrom.isBlank()) {
      p.add("model.init_from must name a model directory, got an empty value"
          + " (remove the key to start from a fresh initialisation)");
    }
    if (variant == null) {
      p.add("model.variant must be one of paper, saelens");
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Defaults: expansion factor 8, fresh initialisation, the paper's variant. */
  public static ModelConfig defaults() {
    return new ModelConfig(null, null, null, Variant.PAPER);
  }

  /** Whether {@code model.d_sae} or {@code model.expansion_factor} was given. */
  public boolean widthSet() {
    return dSae != null || expansionFactor != null;
  }

  /** The model directory to start from, if any. */
  public Optional<String> initFromPath() {
    return Optional.ofNullable(initFrom);
  }

  /**
   * The dictionary width m for an input width n: {@code model.d_sae} if set, else
   * {@code round(model.expansion_factor * n)}, with the default factor when neither is set.
   *
   * @param dIn the input width n read from the store, >= 1
   * @return m >= 1, such that all parameters ({@code 2nm + 3m + n}) fit one {@code float[]}
   * @throws ConfigException if the width rounds to 0 or the parameters would not fit
   */
  public int dSae(int dIn) {
    if (dIn < 1) {
      throw new IllegalArgumentException("d_in must be >= 1, got " + dIn);
    }
    double factor = expansionFactor != null ? expansionFactor : DEFAULT_EXPANSION_FACTOR;
    long m = dSae != null ? dSae : Math.round(factor * dIn);
    String source = dSae != null
        ? "model.d_sae = " + dSae
        : "model.expansion_factor = " + factor + " with d_in = " + dIn;
    if (m < 1) {
      throw new ConfigException(List.of(source + " gives d_sae = " + m
          + "; use an expansion_factor of at least " + (1.0 / dIn) + " or set model.d_sae"));
    }
    if (m > Integer.MAX_VALUE
        || SaeParameters.parameterCount(dIn, (int) m) > MAX_PARAMETERS) {
      throw new ConfigException(List.of(source + " gives d_sae = " + m + " and "
          + (2 * m * dIn + 3 * m + dIn) + " parameters, more than one Java array holds ("
          + MAX_PARAMETERS + "); use a smaller model.d_sae or model.expansion_factor"));
    }
    return (int) m;
  }
}
