package org.gsae.jobs.run;

import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.io.HadoopFiles;
import org.gsae.jobs.config.ReportOptions;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.report.ImageTiles;
import org.gsae.spark.report.ReportRun;
import org.gsae.spark.report.ReportSpec;
import org.gsae.spark.report.ReportSummary;

/** The production {@code report}: a {@link ReportRun} on the job's SparkSession. */
final class SparkReportRunner implements ReportRunner {
  /** Where train and analyze put their report, under their output. */
  static final String REPORT_DIR = AnalysisRun.REPORT;

  @Override
  public Report run(ReportOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae report", Optional.empty())) {
      ReportSummary r = new ReportRun(session.spark(), new ReportSpec(o.runPath(),
          o.analysisPath(), o.outputPath(), o.imageShape(), o.labelColumn())).run();
      return Report.of("report: done")
          .with("features", r.features() + " pages in " + r.chunks() + " chunks"
              + (r.galleries() ? ", with image galleries" : ""))
          .with("open", r.indexPage())
          .with("wall time", String.format("%.1f s", r.wallSeconds()));
    }
  }

  /**
   * The report a command writes after its analysis, into {@code parent/report}; returns the
   * page to open.
   *
   * @param run         the training output, or null when it is not known
   * @param analysis    the analysis directory
   * @param imageShape  galleries' image shape, or null for known widths only
   * @param labelColumn the gallery's label column, or null
   */
  static String after(SparkSession spark, String run, String analysis, String parent,
      ImageTiles.Shape imageShape, String labelColumn) {
    String out = new Path(parent, REPORT_DIR).toString();
    return new ReportRun(spark, new ReportSpec(run, analysis, out, imageShape, labelColumn)).run()
        .indexPage();
  }

  /**
   * The training output a model directory came from: its parent when that holds
   * {@code metrics.parquet} (the layout {@code train} writes), else null.
   */
  static String runOf(SparkSession spark, String modelPath) {
    Path model = new Path(modelPath);
    Path parent = model.getParent();
    if (parent == null) {
      return null;
    }
    FileSystem fs = HadoopFiles.fileSystem(parent, spark.sparkContext().hadoopConfiguration());
    return HadoopFiles.exists(fs, new Path(parent, "metrics.parquet")) ? parent.toString() : null;
  }
}
