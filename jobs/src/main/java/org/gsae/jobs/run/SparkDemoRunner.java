package org.gsae.jobs.run;

import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gsae.core.error.Errors;
import org.gsae.jobs.config.AnalyzeSettings;
import org.gsae.jobs.config.DemoOptions;
import org.gsae.jobs.config.JobConfig;
import org.gsae.jobs.config.ModelConfig;
import org.gsae.jobs.config.OutputConfig;
import org.gsae.jobs.config.SparkSettings;
import org.gsae.spark.demo.DemoReport;
import org.gsae.spark.demo.DemoRun;
import org.gsae.spark.demo.DemoSpec;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.train.WindowSettings;

/** The production {@code demo}: synthetic store, training on local Spark, recovery report. */
final class SparkDemoRunner implements DemoRunner {

  @Override
  public Report run(DemoOptions o) {
    String out = o.outputPath() != null ? o.outputPath() : tempDir();
    DemoSpec d = DemoSpec.defaults(out);
    DemoSpec spec = new DemoSpec(out, o.rows(), o.dIn(), o.features(), d.expectedL0(), d.noise(),
        o.dSae(), d.files(), d.train().withSteps(o.steps()).withBatchSize(o.batchSize())
            .withSeed(o.seed()));
    try (Sessions.JobSession session = Sessions.open("gsae demo", Optional.empty())) {
      DemoReport r = new DemoRun(session.spark(), spec, provenanceConfig(spec)).run();
      return SparkTrainRunner.trainingReport(Report.of("demo: done"), r.training())
          .with("store path", r.storePath())
          .with("L0 (store)", String.format("%.2f active features per row (true %.2f)", r.l0(), r.trueL0()))
          .with("FVU", String.format("%.4f (explained variance %.4f)", r.fvu(), 1 - r.fvu()))
          .with("dead ratio", String.format("%.4f", r.deadFeatureRatio()))
          .with("recovery", String.format("MMCS %.4f (mean best cosine of each true feature with a decoder row)", r.mmcs()))
          .with("report", r.reportPage() + " (open it in a browser)")
          .with("wall time", String.format("%.1f s", r.wallSeconds()));
    }
  }

  /**
   * The demo's recipe as the config keys a {@code train} run would record, so that its
   * {@code cfg.json} reads like any other (plus {@code demo: true}).
   */
  static Map<String, Object> provenanceConfig(DemoSpec spec) {
    JobConfig as = new JobConfig(InputConfig.of(spec.storePath()), WindowSettings.defaults(),
        new OutputConfig(spec.runPath()),
        new ModelConfig(spec.dSae(), null, null, spec.train().variant()), spec.train(),
        SparkSettings.defaults(), AnalyzeSettings.defaults());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("demo", true);
    m.putAll(as.asKeyValues());
    return m;
  }

  private static String tempDir() {
    try {
      return Files.createTempDirectory("gsae-demo-").toUri().toString();
    } catch (IOException e) {
      throw Errors.io("creating a temporary directory for the demo", System.getProperty("java.io.tmpdir"), e);
    }
  }
}
