package org.gsae.spark.demo;

import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.train.TrainingReport;
import org.gsae.spark.train.TrainingRun;

/**
 * The embedded default: generate a synthetic store with known ground truth, train on it with
 * the same {@link TrainingRun} a real job uses, and measure recovery of the true dictionary.
 * Each run starts fresh (an earlier {@code run/} under the output directory is replaced).
 */
public final class DemoRun {
  private final SparkSession spark;
  private final DemoSpec spec;
  private final Map<String, Object> config;

  /**
   * @param config the run's configuration as config-file keys and values ({@code train.lr},
   *               ...), recorded in the model's {@code cfg.json} provenance
   */
  public DemoRun(SparkSession spark, DemoSpec spec, Map<String, Object> config) {
    this.spark = spark;
    this.spec = spec;
    this.config = Map.copyOf(config);
  }

  public DemoReport run() {
    long t0 = System.nanoTime();
    String store = spec.storePath();
    Path run = new Path(spec.runPath());
    SyntheticActivations truth = SyntheticActivations.generate(spec.rows(), spec.dIn(), spec.features(),
        spec.expectedL0(), spec.noise(), spec.train().seed());
    SyntheticStore.write(spark, store, truth, spec.files());
    DemoTraining done = DemoTraining.run(spark, store, run, spec.dSae(), spec.train(), config);
    TrainingReport tr = done.training();
    SaeParameters p = ModelDirectory.load(new Path(tr.modelPath()),
        spark.sparkContext().hadoopConfiguration()).params();
    GatedSae sae = new GatedSae(p, spec.train().sparsityCoefficient());
    AnalysisMetrics a = new SaeFeatureAnalyzer(sae).analyze(truth.data(), 1);
    double mmcs = truth.mmcs(p.wDec().toFloatArray());
    double wall = (System.nanoTime() - t0) / 1e9;
    return new DemoReport(tr, mmcs, truth.trueL0(), a.l0Histogram().mean(), a.reconstruction().fvu(),
        a.featureStats().deadFeatureRatio(), wall, store, run.toString(), done.reportPage());
  }
}
