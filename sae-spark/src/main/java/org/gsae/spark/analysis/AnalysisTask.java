package org.gsae.spark.analysis;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.store.RowBlock;

/**
 * The per-partition half of the analysis pass: rebuilds the model from the broadcast
 * {@code float[]} once, then encodes and decodes the partition's rows with an
 * {@link AlignedEncoder} (row-aligned batches of {@code blockRows} rows), feeding each batch's
 * {@code x [B, d_in]}, {@code featureActs [B, d_sae]} and {@code xHat [B, d_in]} to one
 * {@link AnalysisMetrics}. Emits exactly one aggregate per partition (empty for an empty
 * partition), so the driver can merge them in partition order.
 *
 * <p>The local {@link org.gsae.core.analysis.SaeFeatureAnalyzer} encodes through the same
 * aligned batches, so every row's activations are the same bits as the local analyzer's,
 * whatever the partitioning (same BLAS kernel and thread count).
 */
final class AnalysisTask implements FlatMapFunction<Iterator<RowBlock>, AnalysisMetrics> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<float[]> params;
  private final int dIn;
  private final int dSae;
  private final int topK;
  private final int blockRows;

  /**
   * @param params    {@link SaeParameters#toFlat()} of a float32 model
   * @param blockRows rows per aligned batch, {@link AlignedEncoder#blockRows(int, long)}
   */
  AnalysisTask(Broadcast<float[]> params, int dIn, int dSae, int topK, int blockRows) {
    this.params = params;
    this.dIn = dIn;
    this.dSae = dSae;
    this.topK = topK;
    this.blockRows = blockRows;
  }

  @Override
  public Iterator<AnalysisMetrics> call(Iterator<RowBlock> blocks) {
    SaeParameters p = SaeParameters.fromFlat(params.value(), dIn, dSae);
    AnalysisMetrics metrics = new AnalysisMetrics(dIn, dSae, topK);
    AlignedEncoder encoder = new AlignedEncoder(p, blockRows, true,
        (rowIds, rows, x, featureActs, xHat) -> metrics.add(x, featureActs, xHat, rowIds, rows));
    while (blocks.hasNext()) {
      RowBlock block = blocks.next();
      long[] rowIds = block.rowIds();
      float[] data = block.data();
      for (int r = 0; r < block.rows(); r++) {
        encoder.add(rowIds[r], data, r * dIn);
      }
    }
    encoder.flush();
    return List.of(metrics).iterator();
  }
}
