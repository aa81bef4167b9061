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
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.demo.DemoSpec;
import org.gsae.spark.demo.RealDemoReport;
import org.gsae.spark.demo.RealDemoRun;
import org.gsae.spark.demo.RealDemoSpec;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.train.WindowSettings;

/** The production {@code demo}: synthetic store, training on local Spark, recovery report. */
final class SparkDemoRunner implements DemoRunner {

  @Override
  public Report run(DemoOptions o) {
    return o.real() ? runReal(o) : runSynthetic(o);
  }

  private Report runReal(DemoOptions o) {
    String out = o.outputPath() != null ? o.outputPath() : tempDir();
    RealDemoSpec d = RealDemoSpec.defaults(out);
    RealDemoSpec spec = new RealDemoSpec(out, o.passages(), o.realTexts(),
        RealDemoSpec.heldOut(o.passages()), d.model(), d.site(), o.dSae(), d.train().withSteps(o.steps()).withBatchSize(o.batchSize()).withSeed(o.seed()),
        d.shown());
    try (Sessions.JobSession session = Sessions.open("gsae demo --real", Optional.empty())) {
      Map<String, Object> config = provenanceConfig(spec.path("store"), spec.path("run"),
          spec.dSae(), spec.train());
      config.put("demo", "real");
      RealDemoReport r = new RealDemoRun(session.spark(), spec, config).run();
      return Report.of(r.render().stripTrailing());
    }
  }

  private Report runSynthetic(DemoOptions o) {
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
    Map<String, Object> m = provenanceConfig(spec.storePath(), spec.runPath(), spec.dSae(),
        spec.train());
    m.put("demo", true);
    return m;
  }

  private static Map<String, Object> provenanceConfig(String store, String run, int dSae,
      TrainConfig train) {
    JobConfig as = new JobConfig(InputConfig.of(store), WindowSettings.defaults(),
        new OutputConfig(run), new ModelConfig(dSae, null, null, train.variant()), train,
        SparkSettings.defaults(), AnalyzeSettings.defaults());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("demo", null);
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
