package org.gsae.jobs.config;

import org.gsae.spark.demo.DemoSpec;
import org.gsae.spark.demo.RealDemoSpec;

import java.util.Optional;
import org.gsae.core.model.SaeParameters;

/**
 * The {@code demo} command, validated: a synthetic store whose rows are sparse combinations
 * of {@code features} known unit directions in {@code dIn} dimensions, trained and analysed
 * end to end, so the report can say how many ground-truth features were recovered; or, with
 * {@code real}, Europarl sentences through the built-in MiniLM-L6 (harvest, train, analyse,
 * report, evaluate), where {@code rows}, {@code dIn} and {@code features} do not apply.
 *
 * @param outputPath where to write the store, model and analysis ({@code --output}), or null
 *                   for a fresh temporary directory
 * @param rows       rows in the synthetic store ({@code --rows}), >= 1
 * @param dIn        input width n ({@code --d-in}), >= 1
 * @param features   ground-truth features ({@code --features}), >= 1
 * @param dSae       dictionary width m ({@code --d-sae}), >= 1
 * @param steps      training steps ({@code --steps}), >= 1
 * @param batchSize  global rows per step ({@code --batch-size}), >= 1
 * @param seed       seed of the data and of training ({@code --seed})
 * @param real       the real demo ({@code --real})
 * @param sentences  training sentences of the real demo ({@code --sentences})
 */
public record DemoOptions(String outputPath, int rows, int dIn, int features, int dSae,
    long steps, int batchSize, long seed, boolean real, int sentences) {

  public static final int DEFAULT_ROWS = DemoSpec.DEFAULT_ROWS;
  public static final int DEFAULT_D_IN = DemoSpec.DEFAULT_D_IN;
  public static final int DEFAULT_FEATURES = DemoSpec.DEFAULT_FEATURES;
  public static final int DEFAULT_D_SAE = DemoSpec.DEFAULT_D_SAE;
  public static final long DEFAULT_STEPS = DemoSpec.DEFAULT_STEPS;
  public static final int DEFAULT_BATCH_SIZE = DemoSpec.DEFAULT_BATCH_SIZE;
  public static final long DEFAULT_SEED = DemoSpec.DEFAULT_SEED;
  public static final int REAL_D_SAE = RealDemoSpec.DEFAULT_D_SAE;
  public static final long REAL_STEPS = RealDemoSpec.DEFAULT_STEPS;
  public static final int REAL_BATCH_SIZE = RealDemoSpec.DEFAULT_BATCH_SIZE;
  public static final int REAL_SENTENCES = RealDemoSpec.DEFAULT_SENTENCES;
  public static final int MAX_SENTENCES = RealDemoSpec.AVAILABLE_SENTENCES - RealDemoSpec.DEFAULT_HELD_OUT;

  public DemoOptions {
    OptionProblems p = new OptionProblems("demo");
    p.check(outputPath == null || !outputPath.isBlank(),
        "--output must name a directory, got an empty value (omit it for a temporary directory)");
    p.check(rows >= 1, "--rows must be >= 1, got " + rows);
    p.check(dIn >= 1, "--d-in must be >= 1, got " + dIn);
    p.check(features >= 1, "--features must be >= 1, got " + features);
    p.check(dSae >= 1, "--d-sae must be >= 1, got " + dSae);
    p.check(steps >= 1, "--steps must be >= 1, got " + steps);
    p.check(batchSize >= 1, "--batch-size must be >= 1, got " + batchSize);
    p.check(!real || (sentences >= 1 && sentences <= MAX_SENTENCES),
        "--sentences must be between 1 and " + MAX_SENTENCES + " (the English sentences the "
            + "demo's text holds, less 500 held out), got " + sentences);
    p.check(dIn < 1 || dSae < 1
            || SaeParameters.parameterCount(dIn, dSae) <= ModelConfig.MAX_PARAMETERS,
        "--d-in " + dIn + " with --d-sae " + dSae + " gives more parameters than one Java array holds");
    p.throwIfAny();
  }

  /** The defaults, writing to a temporary directory. */
  public static DemoOptions defaults() {
    return new DemoOptions(null, DEFAULT_ROWS, DEFAULT_D_IN, DEFAULT_FEATURES, DEFAULT_D_SAE,
        DEFAULT_STEPS, DEFAULT_BATCH_SIZE, DEFAULT_SEED, false, REAL_SENTENCES);
  }

  /** The output directory, if one was given. */
  public Optional<String> output() {
    return Optional.ofNullable(outputPath);
  }
}
