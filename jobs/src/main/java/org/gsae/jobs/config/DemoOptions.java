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
 * @param passages   the real demo on whole passages instead of sentences ({@code --passages})
 * @param texts      training texts of the real demo ({@code --texts}), or 0 for its default
 */
public record DemoOptions(String outputPath, int rows, int dIn, int features, int dSae,
    long steps, int batchSize, long seed, boolean real, boolean passages, int texts) {

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
    int most = RealDemoSpec.available(passages) - RealDemoSpec.heldOut(passages);
    p.check(!real || (texts >= 0 && texts <= most), "--texts must be between 1 and " + most
        + " (the English " + (passages ? "passages" : "sentences") + " the demo's text holds, "
        + "less " + RealDemoSpec.heldOut(passages) + " held out), got " + texts);
    p.check(real || !passages, "--passages applies to the real demo (add --real)");
    p.check(dIn < 1 || dSae < 1
            || SaeParameters.parameterCount(dIn, dSae) <= ModelConfig.MAX_PARAMETERS,
        "--d-in " + dIn + " with --d-sae " + dSae + " gives more parameters than one Java array holds");
    p.throwIfAny();
  }

  /** The defaults, writing to a temporary directory. */
  public static DemoOptions defaults() {
    return new DemoOptions(null, DEFAULT_ROWS, DEFAULT_D_IN, DEFAULT_FEATURES, DEFAULT_D_SAE,
        DEFAULT_STEPS, DEFAULT_BATCH_SIZE, DEFAULT_SEED, false, false, 0);
  }

  /** The real demo's training texts: {@code texts}, or all but the held-out ones (passages), or 3000 sentences. */
  public int realTexts() {
    return texts > 0 ? texts : passages
        ? RealDemoSpec.available(true) - RealDemoSpec.heldOut(true) : REAL_SENTENCES;
  }

  /** The output directory, if one was given. */
  public Optional<String> output() {
    return Optional.ofNullable(outputPath);
  }
}
