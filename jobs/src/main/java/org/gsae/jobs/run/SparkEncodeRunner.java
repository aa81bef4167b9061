package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.EncodeOptions;
import org.gsae.spark.encode.EncodeReport;
import org.gsae.spark.encode.EncodeRun;
import org.gsae.spark.encode.EncodeSpec;

/** The production {@code encode}: an {@link EncodeRun} on the job's SparkSession. */
final class SparkEncodeRunner implements EncodeRunner {

  @Override
  public Report run(EncodeOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae encode", Optional.empty())) {
      EncodeSpec spec = new EncodeSpec(o.modelPath(), o.input(), o.outputPath(), o.dense(),
          o.reconstruct(), o.batchSize());
      EncodeReport r = new EncodeRun(session.spark(), spec).run();
      String codes = r.dense() ? "dense feature_acts [" + r.dSae() + "]"
          : "sparse feature_indices + feature_values";
      return Report.of("encode: done")
          .with("store", SparkAnalyzeRunner.storeLine(r.rows(), r.dIn(), r.partitions(),
              r.skippedRows()))
          .with("model", "d_sae=" + r.dSae() + " (" + o.modelPath() + ")")
          .with("codes", codes + (r.reconstruct() ? ", reconstruction [" + r.dIn() + "]" : "")
              + String.format("; mean L0 %.2f", r.l0Mean()))
          .with("output", r.outputPath() + " (" + r.rows() + " rows, " + r.partitions()
              + " partitions)")
          .with("wall time", String.format("%.1f s", r.wallSeconds()));
    }
  }
}
