package org.gsae.spark.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.spark.store.ActivationStore;

/** {@code features.parquet} as columns, indexed by feature id (the driver holds O(d_sae)). */
final class FeatureColumns {
  long[] fireCount;
  double[] frequency;
  double[] meanActivation;
  float[] maxActivation;
  float[] decoderNorm;
  double[] decoderKurtosis;
  long[][] histogram;

  static FeatureColumns read(SparkSession spark, Path table) {
    List<Row> rows = ActivationStore.readTable(spark, table.toString()).orderBy("feature_id")
        .collectAsList();
    FeatureColumns f = new FeatureColumns();
    int n = rows.size();
    f.fireCount = new long[n];
    f.frequency = new double[n];
    f.meanActivation = new double[n];
    f.maxActivation = new float[n];
    f.decoderNorm = new float[n];
    f.decoderKurtosis = new double[n];
    f.histogram = new long[n][];
    boolean hasHistogram = rows.isEmpty()
        || List.of(rows.get(0).schema().fieldNames()).contains("activation_histogram");
    for (int j = 0; j < n; j++) {
      Row r = rows.get(j);
      Errors.check(r.getInt(r.fieldIndex("feature_id")) == j,
          "%s: feature_id %d at position %d; the table must hold features 0..d_sae-1 once",
          table, r.getInt(r.fieldIndex("feature_id")), j);
      f.fireCount[j] = r.getLong(r.fieldIndex("fire_count"));
      f.frequency[j] = r.getDouble(r.fieldIndex("frequency"));
      f.meanActivation[j] = r.getDouble(r.fieldIndex("mean_activation"));
      f.maxActivation[j] = r.getFloat(r.fieldIndex("max_activation"));
      f.decoderNorm[j] = r.getFloat(r.fieldIndex("decoder_norm"));
      f.decoderKurtosis[j] = r.getDouble(r.fieldIndex("decoder_kurtosis"));
      if (hasHistogram) {
        List<Long> h = r.getList(r.fieldIndex("activation_histogram"));
        f.histogram[j] = h.stream().mapToLong(Long::longValue).toArray();
      }
    }
    return f;
  }

  int dSae() {
    return fireCount.length;
  }

  Map<String, Object> asColumns() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("fire_count", fireCount);
    c.put("frequency", frequency);
    c.put("mean_activation", meanActivation);
    c.put("max_activation", maxActivation);
    c.put("decoder_norm", decoderNorm);
    c.put("decoder_kurtosis", finite(decoderKurtosis));
    return c;
  }

  Map<String, Object> row(int j) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j);
    m.put("fire_count", fireCount[j]);
    m.put("frequency", frequency[j]);
    m.put("mean_activation", meanActivation[j]);
    m.put("max_activation", maxActivation[j]);
    m.put("decoder_norm", decoderNorm[j]);
    m.put("decoder_kurtosis", Double.isFinite(decoderKurtosis[j]) ? decoderKurtosis[j] : null);
    m.put("histogram", histogram[j]);
    return m;
  }

  private static Double[] finite(double[] v) {
    Double[] out = new Double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.isFinite(v[i]) ? v[i] : null;
    }
    return out;
  }
}
