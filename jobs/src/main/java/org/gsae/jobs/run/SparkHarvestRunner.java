package org.gsae.jobs.run;

import java.util.Optional;
import org.gsae.jobs.config.HarvestOptions;
import org.gsae.spark.harvest.HarvestReport;
import org.gsae.spark.harvest.HarvestRun;

/** The production {@code harvest}: a {@link HarvestRun} on the job's SparkSession. */
final class SparkHarvestRunner implements HarvestRunner {

  @Override
  public Report run(HarvestOptions o) {
    try (Sessions.JobSession session = Sessions.open("gsae harvest", Optional.empty())) {
      HarvestReport r = new HarvestRun(session.spark(), o.spec()).run();
      return report(Report.of("harvest: done"), r);
    }
  }

  static Report report(Report head, HarvestReport r) {
    return head
        .with("model", r.site() + ", " + r.width() + " values per token")
        .with("texts", r.documents() + " read, " + r.harvested() + " with tokens stored"
            + (r.truncated() > 0 ? ", " + r.truncated() + " cut at the model's 512 tokens" : ""))
        .with("tokens", String.format("%d in %.1f s (%.0f tok/s, %d tasks)", r.tokens(),
            r.harvestSeconds(), r.tokensPerSecond(), r.partitions()))
        .with("store", String.format("%s (%.1f MB, %.0f MB per million tokens)", r.outputPath(),
            r.outputBytes() / 1e6, r.outputBytes() / 1e6 / (r.tokens() / 1e6)));
  }
}
