package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.ImportIdxOptions;
import org.gsae.spark.store.IdxImport;

/** The production {@code import-idx}: {@link IdxImport} on the job's SparkSession. */
final class SparkImportIdxRunner implements ImportIdxRunner {

  @Override
  public Report run(ImportIdxOptions o) {
    long t0 = System.nanoTime();
    try (Sessions.JobSession session = Sessions.open("gsae import-idx", Optional.empty())) {
      long n = IdxImport.write(session.spark(), o.imagesPath(), o.labelsPath(), o.labelNames(),
          o.outputPath(), o.files());
      return Report.of("import-idx: done")
          .with("store", o.outputPath() + " (" + n + " images)")
          .with("wall time", String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
    }
  }
}
