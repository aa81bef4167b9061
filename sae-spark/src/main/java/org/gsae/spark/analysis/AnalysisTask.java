package org.gsae.spark.analysis;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.Encoding;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.spark.store.RowBlock;

/**
 * The per-partition half of the analysis pass: rebuilds the model from the broadcast
 * {@code float[]} once, then encodes and decodes the partition's rows in batches of at most
 * {@code batchSize} rows (a block larger than that is cut), feeding each batch's
 * {@code x [B, d_in]}, {@code featureActs [B, d_sae]} and {@code xHat [B, d_in]} to one
 * {@link AnalysisMetrics}. Emits exactly one aggregate per partition (empty for an empty
 * partition), so the driver can merge them in partition order.
 *
 * <p>Batches are formed exactly as {@link org.gsae.core.analysis.SaeFeatureAnalyzer} forms
 * them (a copy of consecutive rows, then {@link GatedEncoder}), so when the batch boundaries
 * coincide the feature activations are bit-identical to the local analyzer's.
 */
final class AnalysisTask implements FlatMapFunction<Iterator<RowBlock>, AnalysisMetrics> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<float[]> params;
  private final int dIn;
  private final int dSae;
  private final int topK;
  private final int batchSize;

  /**
   * @param params    {@link SaeParameters#toFlat()} of a float32 model
   * @param batchSize rows encoded at once, >= 1
   */
  AnalysisTask(Broadcast<float[]> params, int dIn, int dSae, int topK, int batchSize) {
    this.params = params;
    this.dIn = dIn;
    this.dSae = dSae;
    this.topK = topK;
    this.batchSize = batchSize;
  }

  @Override
  public Iterator<AnalysisMetrics> call(Iterator<RowBlock> blocks) {
    SaeParameters p = SaeParameters.fromFlat(params.value(), dIn, dSae);
    AnalysisMetrics metrics = new AnalysisMetrics(dIn, dSae, topK);
    while (blocks.hasNext()) {
      RowBlock block = blocks.next();
      for (int from = 0; from < block.rows(); from += batchSize) {
        int rows = Math.min(batchSize, block.rows() - from);
        float[] x = Arrays.copyOfRange(block.data(), from * dIn, (from + rows) * dIn);
        long[] rowIds = Arrays.copyOfRange(block.rowIds(), from, from + rows);
        Encoding e = GatedEncoder.encode(p, Tensor.of(x, rows, dIn));
        float[] featureActs = e.featureActs().toFloatArray();
        float[] xHat = GatedEncoder.decode(p, e.featureActs()).toFloatArray();
        metrics.add(x, featureActs, xHat, rowIds, rows);
      }
    }
    return List.of(metrics).iterator();
  }
}
