package org.gsae.spark.evaluate;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.Json;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.Provenance;
import org.gsae.core.metrics.ReconstructionMetrics;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.onnx.SpliceFidelity;
import org.gsae.onnx.ModelFiles;
import org.gsae.spark.harvest.TextInput;
import org.gsae.spark.output.OutputLock;

/**
 * One {@code evaluate}: the first texts of the input (read with Spark), run on the driver
 * through the transformer spliced at the SAE's site, three ways (clean, with the SAE's
 * reconstruction of every text token, with zeros; {@link SpliceFidelity}), using all the
 * driver's cores. Writes
 * {@value #SUMMARY} into the output directory, atomically.
 */
public final class EvaluateRun {
  /** The file written into the output directory. */
  public static final String SUMMARY = "summary.json";

  private final SparkSession spark;
  private final EvaluateSpec spec;

  public EvaluateRun(SparkSession spark, EvaluateSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  public EvaluateReport run() {
    try (OutputLock lock = OutputLock.claim(spark.sparkContext().hadoopConfiguration(),
        "--input", spec.inputPath(), "--output", spec.outputPath())) {
      return runOwning();
    }
  }

  private EvaluateReport runOwning() {
    long t0 = System.nanoTime();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    SaeParameters p = ModelDirectory.load(new Path(spec.modelPath()), conf).params();
    GatedSae sae = new GatedSae(p, 0);
    List<String> texts = TextInput.first(spark, spec.inputPath(), spec.textColumn(), spec.maxTexts());
    if (texts.isEmpty()) {
      throw Errors.invalidInput("the input has no non-empty texts", spec.inputPath(),
          "pass text files with a text per line, or Parquet with --text-column");
    }
    ModelFiles lm = ModelFiles.resolve(spec.lm(), conf);
    ReconstructionMetrics reconstruction = new ReconstructionMetrics(p.dIn());
    SpliceFidelity.Result r;
    String site;
    try (SpliceFidelity f = SpliceFidelity.open(lm, spec.site(),
        Runtime.getRuntime().availableProcessors())) {
      site = spec.lm() + " " + spec.site().describe();
      if (f.width() != p.dIn()) {
        throw Errors.invalidInput("the site " + site + " has width " + f.width()
            + " but the SAE has d_in=" + p.dIn(), spec.modelPath(),
            "pass the --lm, --layer and --site (or --tensor) the SAE was trained on");
      }
      r = f.evaluate(texts, (rows, count, width) -> {
        float[] xHat = sae.forward(Tensor.of(rows, count, width)).reconstruction().toFloatArray();
        reconstruction.add(rows, xHat, count);
        return xHat;
      });
    }
    Path out = new Path(spec.outputPath());
    Map<String, Object> summary = summary(site, r, reconstruction.fvu());
    AtomicDirectoryWriter.write(out, true, conf, (fs, tmp) ->
        HadoopFiles.writeBytes(fs, new Path(tmp, SUMMARY), Json.write(summary)));
    FileSystem fs = HadoopFiles.fileSystem(out, conf);
    return new EvaluateReport(site, r, reconstruction.fvu(),
        new Path(fs.makeQualified(out), SUMMARY).toString(), (System.nanoTime() - t0) / 1e9);
  }

  private Map<String, Object> summary(String site, SpliceFidelity.Result r, double fvu) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "evaluate");
    m.put("model", spec.modelPath());
    m.put("lm", spec.lm());
    m.put("site", site);
    m.put("input", spec.inputPath());
    m.put("texts", r.texts());
    m.put("tokens", r.tokens());
    m.put("fvu", fvu);
    m.put("measure", r.measure().name().toLowerCase(java.util.Locale.ROOT));
    m.put("clean", r.clean());
    m.put("sae", r.replaced());
    m.put("zero", r.zeros());
    m.put("fidelity", r.fidelity());
    m.put("splice_check", r.spliceCheck());
    m.put("definition", r.measure() == SpliceFidelity.Measure.CROSS_ENTROPY
        ? "clean, sae, zero: mean next-token cross-entropy (nats per predicted token) with the "
            + "site's text tokens as computed, replaced by the SAE's reconstruction, or zeroed; "
            + "fidelity = (zero - sae) / (zero - clean), the loss recovered"
        : "clean, sae, zero: mean over texts of 1 - cosine(clean sentence embedding, embedding "
            + "with the site's text tokens as computed, replaced by the SAE's reconstruction, or "
            + "zeroed); fidelity = 1 - sae / zero");
    m.put("gsae_version", Provenance.currentGsaeVersion());
    m.put("created_at", Instant.now().toString());
    return m;
  }
}
