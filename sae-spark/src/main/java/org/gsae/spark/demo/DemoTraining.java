package org.gsae.spark.demo;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.analysis.AnalysisReport;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.analysis.AnalysisSpec;
import org.gsae.spark.report.ReportRun;
import org.gsae.spark.report.ReportSpec;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.train.TrainingReport;
import org.gsae.spark.train.TrainingRun;
import org.gsae.spark.train.TrainingSpec;
import org.gsae.spark.train.WindowSettings;

/**
 * What both demos do with their store, as a {@code train} run with its analysis does: a fresh
 * {@code run/} (an earlier one is replaced), the training, the analysis over the whole store and
 * the report, so a demo ends with pages to look at.
 *
 * @param training     the training run
 * @param analysis     the analysis of the store
 * @param analysisPath {@code run/analysis}
 * @param reportPage   the report's {@code index.html}
 */
record DemoTraining(TrainingReport training, AnalysisReport analysis, String analysisPath,
    String reportPage) {
  /** Top examples kept per feature by the demos' analysis (analyze's default). */
  static final int TOP_K = 20;

  /**
   * @param config the run's configuration as config-file keys, recorded in cfg.json
   */
  static DemoTraining run(SparkSession spark, String store, Path run, int dSae, TrainConfig train,
      Map<String, Object> config) {
    FileSystem fs = HadoopFiles.fileSystem(run, spark.sparkContext().hadoopConfiguration());
    try {
      fs.delete(run, true);
    } catch (IOException e) {
      throw Errors.io("clearing the previous demo run", run.toString(), e);
    }
    TrainingReport tr = new TrainingRun(spark, new TrainingSpec(InputConfig.of(store),
        WindowSettings.defaults(), run.toString(), dIn -> dSae, null, train, 0, config, null),
        null).run();
    String analysis = new Path(run, "analysis").toString();
    // analyze's defaults: automatic batch size, the store's partitioning.
    AnalysisReport a = new AnalysisRun(spark, new AnalysisSpec(tr.modelPath(), InputConfig.of(store),
        analysis, TOP_K, 0, 0)).run();
    String report = new ReportRun(spark, new ReportSpec(run.toString(), analysis,
        new Path(run, AnalysisRun.REPORT).toString(), null, null)).run().indexPage();
    return new DemoTraining(tr, a, analysis, report);
  }
}
