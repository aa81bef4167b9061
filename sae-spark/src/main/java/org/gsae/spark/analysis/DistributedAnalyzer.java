package org.gsae.spark.analysis;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.error.Errors;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.store.TaskFailures;

/**
 * The analysis pass over packed row blocks (DESIGN §7): broadcast the parameters as one
 * {@code float[]}, let every partition fill one {@link AnalysisMetrics} ({@link AnalysisTask}),
 * and merge the partial aggregates on the driver <em>in partition order</em>. Counts, the L0
 * histogram and the top-k heaps are exact whatever the order; fixing the order also makes the
 * floating-point sums (activation sums, reconstruction sums) identical across runs for a given
 * partitioning.
 *
 * <p>Driver memory: partial aggregates are fetched in groups of partitions (one Spark job per
 * group) and folded into the total before the next group is fetched, so at most
 * {@link #groupSize} partial aggregates of about {@code 12 d_sae k + 28 d_sae} bytes each are
 * held at once, whatever the number of partitions. The MLlib-style {@code treeAggregate} would
 * merge in task-completion order, which is why it is not used.
 */
public final class DistributedAnalyzer {
  /** Driver memory allowed for partial aggregates of one group. */
  static final long GROUP_BUDGET_BYTES = 256L << 20;

  private DistributedAnalyzer() {}

  /**
   * Runs the pass.
   *
   * @param sc        Spark context
   * @param blocks    the store's valid rows, each block {@code [rows, d_in]}
   * @param params    a float32 model with the blocks' {@code d_in}
   * @param topK      rows kept per feature, >= 1
   * @param batchSize rows encoded at once, >= 1
   * @return the merged aggregate over every row of {@code blocks}
   */
  public static AnalysisMetrics analyze(JavaSparkContext sc, JavaRDD<RowBlock> blocks,
      SaeParameters params, int topK, int batchSize) {
    Errors.check(params.dtype() == DType.FLOAT32, "the analysis needs float32 parameters, got %s",
        params.dtype());
    Errors.check(topK >= 1 && batchSize >= 1, "need top-k >= 1 and batch size >= 1, got %d and %d",
        topK, batchSize);
    int dIn = params.dIn();
    int dSae = params.dSae();
    Broadcast<float[]> bc = sc.broadcast(params.toFlat());
    try {
      JavaRDD<AnalysisMetrics> parts = blocks.mapPartitions(
          new AnalysisTask(bc, dIn, dSae, topK, batchSize), true);
      int n = parts.getNumPartitions();
      int group = groupSize(n, sc.defaultParallelism(), aggregateBytes(dIn, dSae, topK));
      AnalysisMetrics total = new AnalysisMetrics(dIn, dSae, topK);
      for (int start = 0; start < n; start += group) {
        int[] ids = new int[Math.min(group, n - start)];
        for (int i = 0; i < ids.length; i++) {
          ids[i] = start + i;
        }
        sc.setJobDescription("gsae analyze: partitions " + start + ".." + (start + ids.length - 1)
            + " of " + n);
        List<AnalysisMetrics>[] results = TaskFailures.rethrowing(() -> parts.collectPartitions(ids));
        for (List<AnalysisMetrics> partition : results) { // ids ascending: partition order
          for (AnalysisMetrics a : partition) {
            total.merge(a);
          }
        }
      }
      return total;
    } finally {
      sc.setJobDescription(null);
      bc.destroy();
    }
  }

  /** Approximate heap size of one partial {@link AnalysisMetrics}. */
  static long aggregateBytes(int dIn, int dSae, int topK) {
    return 12L * dSae * topK + 28L * dSae + 16L * dIn + 1024;
  }

  /**
   * Partitions fetched per job: enough to keep every core busy, more while the budget allows,
   * never more than there are partitions.
   */
  static int groupSize(int partitions, int parallelism, long aggregateBytes) {
    long byBudget = GROUP_BUDGET_BYTES / Math.max(1, aggregateBytes);
    long group = Math.max(Math.max(1, parallelism), byBudget);
    return (int) Math.max(1, Math.min(partitions, group));
  }
}
