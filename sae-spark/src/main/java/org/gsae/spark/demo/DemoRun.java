package org.gsae.spark.demo;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.train.TrainingReport;
import org.gsae.spark.train.TrainingRun;
import org.gsae.spark.train.TrainingSpec;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.analysis.AnalysisSpec;
import org.gsae.spark.report.ReportRun;
import org.gsae.spark.report.ReportSpec;
import org.gsae.spark.train.WindowSettings;

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
    Path root = new Path(spec.outputDir());
    String store = spec.storePath();
    Path run = new Path(spec.runPath());
    SyntheticActivations truth = SyntheticActivations.generate(spec.rows(), spec.dIn(), spec.features(),
        spec.expectedL0(), spec.noise(), spec.train().seed());
    SyntheticStore.write(spark, store, truth, spec.files());
    FileSystem fs = HadoopFiles.fileSystem(run, spark.sparkContext().hadoopConfiguration());
    try {
      fs.delete(run, true);
    } catch (IOException e) {
      throw Errors.io("clearing the previous demo run", run.toString(), e);
    }
    TrainingSpec ts = new TrainingSpec(InputConfig.of(store), WindowSettings.defaults(),
        run.toString(), dIn -> spec.dSae(), null, spec.train(), 0, config, null);
    TrainingReport tr = new TrainingRun(spark, ts, null).run();

    SaeParameters p = ModelDirectory.load(new Path(tr.modelPath()),
        spark.sparkContext().hadoopConfiguration()).params();
    GatedSae sae = new GatedSae(p, spec.train().sparsityCoefficient());
    AnalysisMetrics a = new SaeFeatureAnalyzer(sae).analyze(truth.data(), 1);
    double mmcs = truth.mmcs(p.wDec().toFloatArray());
    // The same analysis and report a train run writes, so the demo ends with pages to look at.
    String analysis = new Path(run, "analysis").toString();
    new AnalysisRun(spark, new AnalysisSpec(tr.modelPath(), InputConfig.of(store), analysis,
        DemoSpec.TOP_K, DemoSpec.ANALYSIS_BATCH, 0)).run();
    String report = new ReportRun(spark, new ReportSpec(run.toString(), analysis,
        new Path(run, AnalysisRun.REPORT).toString(), null, null)).run().indexPage();
    double wall = (System.nanoTime() - t0) / 1e9;
    return new DemoReport(tr, mmcs, truth.trueL0(), a.l0Histogram().mean(), a.reconstruction().fvu(),
        a.featureStats().deadFeatureRatio(), wall, store, run.toString(), report);
  }
}
