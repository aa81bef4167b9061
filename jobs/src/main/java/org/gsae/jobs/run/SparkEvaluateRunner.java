package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.EvaluateOptions;
import org.gsae.spark.evaluate.EvaluateReport;
import org.gsae.spark.evaluate.EvaluateRun;

/** The production {@code evaluate}: texts read with Spark, the model run on the driver. */
final class SparkEvaluateRunner implements EvaluateRunner {

  @Override
  public Report run(EvaluateOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae evaluate", Optional.empty())) {
      return report(Report.of("evaluate: done"), new EvaluateRun(session.spark(), o.spec()).run());
    }
  }

  static Report report(Report head, EvaluateReport r) {
    return head
        .with("site", r.site())
        .with("texts", r.texts() + " (" + r.tokens() + " tokens replaced)")
        .with("FVU", String.format("%.4f at the site", r.fvu()))
        .with("1 - cosine", String.format("clean 0, SAE %.5f, zeros %.5f (splice check %.1e)",
            r.saeDistance(), r.zeroDistance(), r.spliceDistance()))
        .with("fidelity", String.format("%.4f (1 - d(SAE)/d(zeros))", r.fidelity()))
        .with("summary", r.summaryPath())
        .with("wall time", String.format("%.1f s", r.wallSeconds()));
  }
}
