package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.EvaluateOptions;
import org.gsae.onnx.SpliceFidelity;
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

  static Report report(Report head, EvaluateReport e) {
    SpliceFidelity.Result r = e.result();
    boolean ce = r.measure() == SpliceFidelity.Measure.CROSS_ENTROPY;
    return head
        .with("site", e.site())
        .with("texts", r.texts() + " (" + r.tokens() + " tokens replaced)")
        .with("FVU", String.format("%.4f at the site", e.fvu()))
        .with(ce ? "cross-entropy" : "1 - cosine", String.format(
            "clean %.5f, SAE %.5f, zeros %.5f (splice check %.1e)%s", r.clean(), r.replaced(),
            r.zeros(), r.spliceCheck(), ce ? " nats per token" : " to the clean embedding"))
        .with("fidelity", String.format(ce ? "%.4f (loss recovered: (CE zeros - CE SAE) / "
            + "(CE zeros - CE clean))" : "%.4f (1 - d(SAE) / d(zeros))", r.fidelity()))
        .with("summary", e.summaryPath())
        .with("wall time", String.format("%.1f s", e.wallSeconds()));
  }
}
