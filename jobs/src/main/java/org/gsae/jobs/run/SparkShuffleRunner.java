package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.ShuffleOptions;
import org.gsae.spark.shuffle.ShuffleReport;
import org.gsae.spark.shuffle.ShuffleRun;
import org.gsae.spark.shuffle.ShuffleSpec;

/** The production {@code shuffle}: a {@link ShuffleRun} on the job's SparkSession. */
final class SparkShuffleRunner implements ShuffleRunner {

  @Override
  public Report run(ShuffleOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae shuffle", Optional.empty())) {
      ShuffleReport r = new ShuffleRun(session.spark(),
          new ShuffleSpec(o.input(), o.outputPath(), o.files(), o.seed())).run();
      return Report.of("shuffle: done")
          .with("rows", r.rows() + " rows of " + o.inputPath())
          .with("output", r.outputPath() + " (" + r.files() + " files, seed " + o.seed() + ")")
          .with("wall time", String.format("%.1f s", r.wallSeconds()));
    }
  }
}
