package org.gsae.jobs.run;

import org.apache.spark.sql.SparkSession;
import org.gsae.jobs.config.JobConfig;
import org.gsae.spark.train.TrainingReport;
import org.gsae.spark.train.TrainingRun;
import org.gsae.spark.train.TrainingSpec;

/** The production {@code train}: a {@link TrainingRun} on the job's SparkSession. */
final class SparkTrainRunner implements TrainRunner {

  @Override
  public Report run(JobConfig cfg) {
    SparkSession spark = Sessions.create("gsae train", cfg.spark().configuredMaster());
    try {
      TrainingSpec spec = new TrainingSpec(cfg.input(), cfg.output().path(), cfg.model()::dSae,
          cfg.model().initFromPath().orElse(null), cfg.train(), cfg.spark().partitions(),
          cfg.asKeyValues());
      TrainingReport r = new TrainingRun(spark, spec, null).run();
      return trainingReport(Report.of("train: done"), r);
    } finally {
      spark.stop();
    }
  }

  /** The lines every command that trains prints. */
  static Report trainingReport(Report base, TrainingReport r) {
    Report out = base
        .with("store", r.rows() + " rows, d_in=" + r.dIn() + ", " + r.partitions() + " partitions"
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
            r.wallSeconds()))
        .with("model dir", r.modelPath())
        .with("metrics", r.metricsPath());
  }
}
