package org.gsae.spark.analysis;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.error.Errors;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.spark.results.OrderedResults;
import org.gsae.spark.store.RowBlock;

/**
 * The analysis pass over packed row blocks (docs/architecture.md §7): broadcast the parameters as
 * one {@code float[]}, let every partition fill one {@link AnalysisMetrics} ({@link AnalysisTask}),
 * and merge the partial aggregates on the driver <em>in partition order</em>. Counts, the L0
 * histogram and the top-k heaps are exact whatever the order; fixing the order also makes the
 * floating-point sums (activation sums, reconstruction sums) identical across runs for a given
 * partitioning. The per-row activations themselves (so counts, maxima, the L0 histogram and
 * the top-k lists) do not depend on the partitioning at all: rows are encoded in row-aligned
 * batches ({@link AlignedEncoder}).
 *
 * <p>Driver memory: partial aggregates (about {@code 12 d_sae k + 28 d_sae} bytes each) reach
 * the driver through {@link OrderedResults}, one at a time, whatever the number of
 * partitions. The MLlib-style {@code treeAggregate} would merge in task-completion order,
 * which is why it is not used.
 */
public final class DistributedAnalyzer {
  private DistributedAnalyzer() {}

  /**
   * Runs the pass.
   *
   * @param sc        Spark context
   * @param blocks    the store's valid rows, each block {@code [rows, d_in]}
   * @param params    a float32 model with the blocks' {@code d_in}
   * @param topK      rows kept per feature, >= 1
   * @param blockRows rows per aligned batch, {@link AlignedEncoder#blockRows(int, long)} of the
   *                  batch size and the store's row count (never a function of the partitioning)
   * @return the merged aggregate over every row of {@code blocks}
   */
  public static AnalysisMetrics analyze(JavaSparkContext sc, JavaRDD<RowBlock> blocks,
      SaeParameters params, int topK, int blockRows) {
    Errors.check(params.dtype() == DType.FLOAT32, "the analysis needs float32 parameters, got %s",
        params.dtype());
    Errors.check(topK >= 1 && blockRows >= 1, "need top-k >= 1 and block rows >= 1, got %d and %d",
        topK, blockRows);
    int dIn = params.dIn();
    int dSae = params.dSae();
    Broadcast<float[]> bc = sc.broadcast(params.toFlat());
    try {
      JavaRDD<AnalysisMetrics> parts = blocks.mapPartitions(
          new AnalysisTask(bc, dIn, dSae, topK, blockRows), true);
      AnalysisMetrics total = new AnalysisMetrics(dIn, dSae, topK);
      OrderedResults.forEachInOrder(parts, aggregateBytes(dIn, dSae, topK), "gsae analyze",
          total::merge);   // partition order
      return total;
    } finally {
      sc.setJobDescription(null);
      bc.destroy();
    }
  }

  /** Approximate serialised size of one partial {@link AnalysisMetrics}. */
  static long aggregateBytes(int dIn, int dSae, int topK) {
    return 12L * dSae * topK + 28L * dSae + 16L * dIn + 1024;
  }
}
