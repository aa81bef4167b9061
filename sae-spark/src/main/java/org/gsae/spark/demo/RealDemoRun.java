package org.gsae.spark.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.gsae.spark.analysis.AnalysisReport;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.evaluate.EvaluateReport;
import org.gsae.spark.evaluate.EvaluateRun;
import org.gsae.spark.evaluate.EvaluateSpec;
import org.gsae.spark.harvest.HarvestReport;
import org.gsae.spark.harvest.HarvestRun;
import org.gsae.spark.harvest.HarvestSpec;
import org.gsae.spark.train.TrainingReport;

/**
 * {@code demo --real}: from text to understood features with gsae alone, offline. Writes the
 * texts ({@code texts.txt}, {@code heldout.txt}), harvests the first into {@code store/},
 * trains, analyses and reports into {@code run/} exactly as {@code train} does, measures the
 * fidelity on the held-out sentences ({@code run/evaluate/summary.json}), and reads the
 * analysis back for the summary: a few features chosen at random among those alive, with their
 * strongest tokens in context, and {@link TokenCoherence} over all of them.
 */
public final class RealDemoRun {
  private final SparkSession spark;
  private final RealDemoSpec spec;
  private final Map<String, Object> config;

  /** @param config the run's configuration as config-file keys, recorded in cfg.json */
  public RealDemoRun(SparkSession spark, RealDemoSpec spec, Map<String, Object> config) {
    this.spark = spark;
    this.spec = spec;
    this.config = Map.copyOf(config);
  }

  public RealDemoReport run() {
    long t0 = System.nanoTime();
    int n = spec.texts() + spec.heldOut();
    List<String> all = spec.passages() ? EuroparlText.passages(n) : EuroparlText.sentences(n);
    String texts = spec.path("texts.txt");
    String heldOut = spec.path("heldout.txt");
    writeLines(texts, all.subList(0, spec.texts()));
    writeLines(heldOut, all.subList(spec.texts(), all.size()));
    String store = spec.path("store");
    HarvestReport harvest = new HarvestRun(spark, new HarvestSpec(spec.model(), spec.site(), texts,
        null, store, 0, HarvestSpec.DEFAULT_CONTEXT)).run();

    DemoTraining done = DemoTraining.run(spark, store, new Path(spec.path("run")), spec.dSae(),
        spec.train(), config);
    TrainingReport tr = done.training();
    AnalysisReport a = done.analysis();
    EvaluateReport e = new EvaluateRun(spark, new EvaluateSpec(tr.modelPath(), spec.model(),
        spec.site(), heldOut, null, spec.heldOut(), spec.path("run/evaluate"))).run();

    Map<Integer, List<RealDemoReport.Example>> top = topExamples(done.analysisPath());
    List<List<String>> full = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    top.forEach((feature, examples) -> {
      if (examples.size() == DemoTraining.TOP_K) {
        full.add(examples.stream().map(RealDemoReport.Example::token).toList());
        candidates.add(feature);
      }
    });
    List<String> storeTokens = spark.read().parquet(store).select("token").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    TokenCoherence coherence = TokenCoherence.of(full, storeTokens, spec.train().seed());
    Collections.shuffle(candidates, new Random(spec.train().seed()));
    List<RealDemoReport.Feature> shown = new ArrayList<>();
    for (int f : candidates.subList(0, Math.min(spec.shown(), candidates.size()))) {
      shown.add(new RealDemoReport.Feature(f, a.frequencies()[f], top.get(f)));
    }
    shown.sort((x, y) -> Integer.compare(x.id(), y.id()));
    return new RealDemoReport(spec.passages() ? "passages" : "sentences", spec.texts(),
        spec.heldOut(), harvest, tr, a, e, coherence, shown, done.reportPage(),
        (System.nanoTime() - t0) / 1e9);
  }

  /** Each feature's top examples, by rank, from {@code top_examples.parquet}. */
  private Map<Integer, List<RealDemoReport.Example>> topExamples(String analysis) {
    List<Row> rows = spark.read().parquet(new Path(analysis, AnalysisRun.TOP_EXAMPLES).toString())
        .select("feature_id", "rank", "activation", "token", "context")
        .orderBy("feature_id", "rank").collectAsList();
    Map<Integer, List<RealDemoReport.Example>> out = new TreeMap<>();
    for (Row r : rows) {
      out.computeIfAbsent(r.getInt(0), k -> new ArrayList<>())
          .add(new RealDemoReport.Example(r.getFloat(2), r.getString(3), r.getString(4)));
    }
    return out;
  }

  private void writeLines(String path, List<String> lines) {
    Path p = new Path(path);
    FileSystem fs = HadoopFiles.fileSystem(p, spark.sparkContext().hadoopConfiguration());
    try (FSDataOutputStream out = fs.create(p, true)) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw Errors.io("writing the demo's sentences", path, e);
    }
  }
}
