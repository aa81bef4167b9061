package org.gsae.spark.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.io.Provenance;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.FeatureStats;
import org.gsae.core.metrics.L0Histogram;
import org.gsae.core.metrics.ReconstructionResult;

/**
 * {@code summary.json}: the whole-store numbers of one analysis plus where the model and the
 * input came from. Keys (README "Analysis and encode outputs" has the full list):
 * {@code rows}, {@code d_in}, {@code d_sae}, L0 ({@code l0_mean}, {@code l0_median},
 * {@code l0_histogram}: entry l = rows with exactly l active features, up to the largest L0
 * seen), features ({@code dead_features}, {@code alive_features}, {@code dead_ratio},
 * {@code topk_share} with {@code topk_share_k}), reconstruction ({@code mse},
 * {@code mse_per_element}, {@code fvu}, {@code explained_variance},
 * {@code relative_reconstruction_bias}, {@code cosine_similarity}), and the {@code model},
 * {@code input} and {@code analysis} provenance objects. A value that is undefined on the data
 * (for example FVU of a constant store) is written as {@code null}, never as NaN.
 */
final class SummaryJson {
  /** The file name. */
  static final String FILE = "summary.json";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  /**
   * Where the numbers came from.
   *
   * @param modelPath        the model directory as given
   * @param modelInfo        its cfg.json metadata and provenance
   * @param inputPath        the store as given
   * @param column           the activation column
   * @param onInvalid        {@code input.on_invalid}
   * @param files            Parquet files in the store
   * @param storeRows        rows in the store, valid or not
   * @param skippedRows      invalid rows skipped
   * @param inputFingerprint digest of the store's file names, row counts and width (the same
   *                         digest training records, so equal values mean the same store)
   * @param partitions       partitions of the pass
   * @param topK             rows kept per feature
   * @param batchSize        rows encoded at once
   * @param decoderKurtosisMean mean excess kurtosis of the decoder rows
   */
  record Context(String modelPath, ModelInfo modelInfo, String inputPath, String column,
      String onInvalid, int files, long storeRows, long skippedRows, String inputFingerprint,
      int partitions, int topK, int batchSize, double decoderKurtosisMean) {}

  /** The summary as an ordered map of JSON values. */
  static Map<String, Object> build(AnalysisMetrics m, int dIn, Context c) {
    FeatureStats f = m.featureStats();
    L0Histogram l0 = m.l0Histogram();
    ReconstructionResult r = m.reconstruction().result();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("rows", f.rows());
    s.put("d_in", dIn);
    s.put("d_sae", f.dSae());
    s.put("l0_mean", l0.mean());
    s.put("l0_median", l0.median());
    s.put("l0_histogram", trimmed(l0.histogram()));
    s.put("dead_features", f.deadCount());
    s.put("alive_features", f.aliveCount());
    s.put("dead_ratio", f.deadFeatureRatio());
    s.put("topk_share", f.topKShare(FeatureStats.DEFAULT_TOPK_SHARE_K));
    s.put("topk_share_k", Math.min(FeatureStats.DEFAULT_TOPK_SHARE_K, f.dSae()));
    s.put("mse", r.mse());
    s.put("mse_per_element", r.msePerElement());
    s.put("fvu", r.fvu());
    s.put("explained_variance", r.explainedVariance());
    s.put("relative_reconstruction_bias", r.relativeReconstructionBias());
    s.put("cosine_similarity", r.meanCosineSimilarity());
    s.put("cosine_skipped_rows", r.cosineSkippedRows());
    s.put("decoder_kurtosis_mean", c.decoderKurtosisMean());
    s.put("model", model(c));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("path", c.inputPath());
    input.put("column", c.column());
    input.put("on_invalid", c.onInvalid());
    input.put("files", c.files());
    input.put("store_rows", c.storeRows());
    input.put("valid_rows", f.rows());
    input.put("skipped_rows", c.skippedRows());
    input.put("fingerprint", c.inputFingerprint());
    s.put("input", input);
    Map<String, Object> analysis = new LinkedHashMap<>();
    analysis.put("top_k", c.topK());
    analysis.put("batch_size", c.batchSize());
    analysis.put("partitions", c.partitions());
    analysis.put("gsae_version", Provenance.currentGsaeVersion());
    analysis.put("created_at", Instant.now().toString());
    s.put("analysis", analysis);
    return s;
  }

  private static Map<String, Object> model(Context c) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("path", c.modelPath());
    Provenance p = c.modelInfo().provenance();
    if (p != null) {
      model.put("steps_trained", p.stepsTrained());
      model.put("trained_on", p.inputPath());
      model.put("trained_on_fingerprint", p.inputFingerprint());
      model.put("seed", p.seed());
      model.put("gsae_version", p.gsaeVersion());
      model.put("created_at", p.createdAt().toString());
    }
    model.put("metadata", c.modelInfo().metadata());
    return model;
  }

  /** The histogram without its all-zero tail (index = L0). */
  static long[] trimmed(long[] histogram) {
    int end = histogram.length;
    while (end > 1 && histogram[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(histogram, end);
  }

  /**
   * The value with every NaN or infinite number, at any depth, replaced by null: JSON has no
   * such numbers (Jackson would write them as strings), and the contract says an undefined
   * number is {@code null}.
   */
  static Object jsonSafe(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? d : null;
    }
    if (v instanceof Float f) {
      return Float.isFinite(f) ? f : null;
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, jsonSafe(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      l.forEach(x -> out.add(jsonSafe(x)));
      return out;
    }
    if (v instanceof double[] a) {
      return Arrays.stream(a).mapToObj(x -> (Object) (Double.isFinite(x) ? x : null)).toList();
    }
    return v;
  }

  /** Indented UTF-8 JSON, every undefined number written as null ({@link #jsonSafe}). */
  static byte[] encode(Map<String, Object> summary) {
    try {
      return MAPPER.writeValueAsBytes(jsonSafe(summary));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary.json cannot be written: " + e.getMessage(), e);
    }
  }
}
