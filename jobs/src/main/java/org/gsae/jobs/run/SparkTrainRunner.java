package org.gsae.jobs.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.SparsityFile;
import org.gsae.jobs.config.AnalyzeSettings;
import org.gsae.jobs.config.JobConfig;
import org.gsae.spark.analysis.AnalysisReport;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.analysis.AnalysisSpec;
import org.gsae.spark.report.ImageTiles;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.train.TrainingReport;
import org.gsae.spark.train.TrainingRun;
import org.gsae.spark.train.TrainingSpec;

/**
 * The production {@code train}: a {@link TrainingRun} on the job's SparkSession, then (with
 * {@code analyze.after_train}, the default) the analysis of the final model.
 */
final class SparkTrainRunner implements TrainRunner {

  /** Where the analysis after training goes, under {@code output.path}. */
  static final String ANALYSIS_DIR = "analysis";

  @Override
  public Report run(JobConfig cfg) {
    try (Sessions.JobSession session = Sessions.open("gsae train", cfg.spark().configuredMaster())) {
      SparkSession spark = session.spark();
      // With model.init_from and no width of its own, the run takes the model's width.
      IntUnaryOperator width = cfg.model().initFromPath().isPresent() && !cfg.model().widthSet()
          ? null : cfg.model()::dSae;
      TrainingSpec spec = new TrainingSpec(cfg.input(), cfg.window(), cfg.output().path(), width,
          cfg.model().initFromPath().orElse(null), cfg.train(), cfg.spark().partitions(),
          cfg.asKeyValues(), cfg.analyze().afterTrain() ? store -> checkStore(store, cfg) : null);
      TrainingReport r = new TrainingRun(spark, spec, null).run();
      Report report = trainingReport(Report.of("train: done"), r);
      if (cfg.analyze().afterTrain()) {
        report = analyseAfterTraining(spark, cfg, r, report);
      }
      return report;
    }
  }

  /**
   * What the store must pass before training when an analysis and report follow: the analysis'
   * column rule, and {@code analyze.label_column} must be one of its metadata columns (so a
   * misspelt key fails now, not after training).
   */
  private static void checkStore(ActivationStore store, JobConfig cfg) {
    AnalysisRun.checkStore(store);
    String label = cfg.analyze().labelColumn();
    if (label != null && !store.metadataColumns().contains(label)) {
      throw Errors.usage("analyze.label_column = '" + label + "' is not a metadata column of the "
          + "store (it has: " + String.join(", ", store.metadataColumns()) + ")",
          cfg.input().path(), "name one of the store's columns, or leave the key unset");
    }
  }

  /**
   * {@code analyze.after_train}: the same pass as the {@code analyze} command over the training
   * store with the final model, into {@code output.path/analysis}; its firing frequencies are
   * also written into the model directory as {@code sparsity.safetensors}, where SAELens reads
   * them, and its L0 and dead features into the model's {@code cfg.json} metadata. Kept out of
   * {@link TrainingRun} so training stays independent of analysis.
   */
  private static Report analyseAfterTraining(SparkSession spark, JobConfig cfg, TrainingReport r,
      Report report) {
    AnalyzeSettings a = cfg.analyze();
    ImageTiles.Shape shape = a.parsedImageShape();
    if (shape != null && shape.pixels() != r.dIn()) {
      // Before the analysis: a re-run with the key fixed resumes at the last step at once.
      throw Errors.usage("analyze.image_shape = " + shape + " has " + shape.pixels()
          + " pixels but the store's rows have " + r.dIn() + " values", cfg.output().path(),
          "set analyze.image_shape to a shape of " + r.dIn() + " pixels and run train again "
              + "(it resumes from the final checkpoint)");
    }
    String out = new Path(cfg.output().path(), ANALYSIS_DIR).toString();
    AnalysisReport ar = new AnalysisRun(spark, new AnalysisSpec(r.modelPath(), cfg.input(), out,
        a.topK(), a.batchSize(), cfg.spark().partitions())).run();
    SparsityFile.write(new Path(r.modelPath()), ar.frequencies(),
        spark.sparkContext().hadoopConfiguration());
    Map<String, Object> learned = new LinkedHashMap<>();
    learned.put("l0", ar.l0Mean());
    learned.put("dead_features", ar.deadFeatures());
    learned.put("dead_ratio", ar.deadRatio());
    ModelDirectory.addMetadata(new Path(r.modelPath()), learned,
        spark.sparkContext().hadoopConfiguration());
    String page = SparkReportRunner.after(spark, cfg.output().path(), out,
        cfg.output().path(), a.parsedImageShape(), a.labelColumn());
    return SparkAnalyzeRunner.analysisReport(report, ar, a.topK(), "analysis ")
        .with("analysis time", String.format("%.1f s", ar.wallSeconds()))
        .with("report", page);
  }

  /** The lines every command that trains prints. */
  static Report trainingReport(Report base, TrainingReport r) {
    Report out = base
        .with("store", r.rows() + " rows, d_in=" + r.dIn() + ", " + r.partitions() + " partitions"
            + (r.windows() > 1 ? ", read in " + r.windows() + " windows" : "")
            + (r.skippedRows() > 0 ? ", " + r.skippedRows() + " invalid rows skipped" : ""))
        .with("model", "d_sae=" + r.dSae())
        .with("steps", r.stepsRun() + " run" + (r.resumedAtStep() > 0 ? " (resumed at step "
            + r.resumedAtStep() + ")" : ""));
    if (r.last() != null) {
      var m = r.last();
      out = out.with("final loss", String.format("%.6g (mse %.6g, l1 %.6g, aux %.6g)", m.total(),
          m.mse(), m.l1(), m.aux())).with("final L0", String.format("%.2f", m.l0()));
    }
    return out.with("throughput", String.format("%.0f tokens/s over %.1f s", r.tokensPerSecond(),
            r.wallSeconds()) + (r.windows() > 1 ? String.format(" (%.1f s waiting for windows)",
                r.waitSeconds()) : ""))
        .with("model dir", r.modelPath())
        .with("metrics", r.metricsPath());
  }
}
