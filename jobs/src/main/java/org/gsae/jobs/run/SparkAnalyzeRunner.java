package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.AnalyzeOptions;
import org.gsae.spark.analysis.AnalysisReport;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.analysis.AnalysisSpec;

/** The production {@code analyze}: an {@link AnalysisRun} on the job's SparkSession. */
final class SparkAnalyzeRunner implements AnalyzeRunner {

  @Override
  public Report run(AnalyzeOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae analyze", Optional.empty())) {
      AnalysisSpec spec = new AnalysisSpec(o.modelPath(), o.input(), o.outputPath(), o.topK(),
          o.batchSize(), 0);
      AnalysisReport r = new AnalysisRun(session.spark(), spec).run();
      // A report inside a model directory would stop a later train from replacing the model.
      String page = r.intoModel() ? null : SparkReportRunner.after(session.spark(),
          SparkReportRunner.runOf(session.spark(), o.modelPath()), r.outputPath(),
          r.outputPath(), null, null);
      return analysisReport(Report.of("analyze: done")
          .with("store", storeLine(r.rows(), r.dIn(), r.partitions(), r.skippedRows()))
          .with("model", "d_sae=" + r.dSae() + " (" + o.modelPath() + ")"), r, o.topK(), "")
          .with("report", page == null ? "none (the output is the model directory)" : page)
          .with("wall time", String.format("%.1f s", r.wallSeconds()));
    }
  }

  /** "N rows, d_in=D, P partitions[, S invalid rows skipped]". */
  static String storeLine(long rows, int dIn, int partitions, long skipped) {
    return rows + " rows, d_in=" + dIn + ", " + partitions + " partitions"
        + (skipped > 0 ? ", " + skipped + " invalid rows skipped" : "");
  }

  /**
   * The lines every command that analyses prints.
   *
   * @param prefix put before each name ("analysis " when appended to a training report)
   */
  static Report analysisReport(Report base, AnalysisReport r, int topK, String prefix) {
    return base
        .with(prefix + "L0", String.format("mean %.2f, median %s active features per row",
            r.l0Mean(), median(r.l0Median())))
        .with(prefix + "dead features", String.format("%d of %d (ratio %.4f)", r.deadFeatures(),
            r.dSae(), r.deadRatio()))
        .with(prefix + "FVU", String.format("%.4f (explained variance %.4f), MSE %.6g", r.fvu(),
            r.explainedVariance(), r.mse()))
        .with(prefix + "top examples", r.rankedRows() + " rows (up to " + topK + " per feature)")
        .with(prefix + "output", r.outputPath()
            + "/{features.parquet,top_examples.parquet,band_examples.parquet,summary.json,"
            + "sparsity.safetensors}");
  }

  private static String median(double m) {
    return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(m);
  }
}
