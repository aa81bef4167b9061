package org.gsae.spark.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.storage.RDDBlockId;
import org.apache.spark.storage.StorageLevel;
import org.gsae.core.io.TrainerState;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Backend;
import org.gsae.core.tensor.DType;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;
import org.gsae.core.train.Trainer;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.store.TaskFailures;

/**
 * The trainer of local mode ({@code local}, {@code local[N]}, {@code local[*]}), where the
 * driver is the only JVM: each step reads its rows from the cached partitions in this JVM's
 * block manager (or, for partitions not held there, gathers them with one Spark job whose
 * tasks keep their shares as arrays in it, {@link ShardBlocks.Kind#ROWS}) and runs a
 * {@link SaeTrainer} on them with N threads, the
 * model and Adam's moments staying in this JVM's arrays. One gradient over the whole batch, so
 * the weights equal {@link SaeTrainer}'s (and {@link DistributedTrainer}'s with one partition)
 * on the step's rows in the plan's order ({@link StepRows}), bit for bit, whatever the
 * partitioning and the windows (with the same BLAS thread count and kernel,
 * docs/architecture.md §9); the P partial gradients of {@link DistributedTrainer}, their
 * reduction and the jobs of its shard tasks are not made at all (docs/performance.md, "local
 * mode in the driver's JVM").
 */
public final class InProcessTrainer implements Trainer<StepRows> {
  private final JavaSparkContext sc;
  private final SaeTrainer local;
  private final ShardBlocks blocks = new ShardBlocks(1, true);

  /**
   * @param initial the state to continue from (read whole: in local mode it all lives here)
   * @param threads the step's worker threads, and as many BLAS threads
   */
  public InProcessTrainer(JavaSparkContext sc, TrainConfig config, TrainerState initial,
      int threads) {
    this(sc, restored(config, initial).withThreads(threads));
  }

  /** Steps {@code local} (its model, state, loss and threads) on rows gathered from Spark. */
  public InProcessTrainer(JavaSparkContext sc, SaeTrainer local) {
    if (!ShardBlocks.arraysFor(sc.master())) {
      throw new IllegalArgumentException("the in-process step needs local mode (local,"
          + " local[N], local[*]), not " + sc.master());
    }
    this.sc = sc;
    this.local = local;
  }

  private static SaeTrainer restored(TrainConfig config, TrainerState initial) {
    GatedSae sae = new GatedSae(SaeParameters.zeros(initial.dIn(), initial.dSae(),
        DType.FLOAT32), config.sparsityCoefficient());
    SaeTrainer t = new SaeTrainer(sae, config);
    t.restore(initial);
    return t;
  }

  /**
   * Whether {@code train} steps with this trainer: in local mode ({@code local},
   * {@code local[N]}, {@code local[*]}: one JVM, no task retries) unless
   * {@code spark.partitions} fixes the partitioning of the gradient.
   */
  public static boolean usedFor(JavaSparkContext sc, int partitionsSetting) {
    return partitionsSetting == 0 && ShardBlocks.arraysFor(sc.master());
  }

  @Override
  public StepMetrics step(StepRows rows) {
    long t = local.step();
    float[][] shares = heldShares(rows);
    boolean gathered = shares == null;
    try {
      if (gathered) {
        shares = gatheredShares(rows, t);
      }
      int n = dIn();
      float[] x = new float[rows.positions().length * n];
      int[] plan = rows.planIndex();
      int k = 0;   // the position of the next row, in partition order
      for (float[] share : shares) {
        if (plan == null) {
          System.arraycopy(share, 0, x, k * n, share.length);
          k += share.length / n;
        } else {   // each row to its place in the plan's order
          for (int r = 0; r < share.length / n; r++, k++) {
            System.arraycopy(share, r * n, x, plan[k] * n, n);
          }
        }
      }
      Backend.setBlasThreads(local.threads());   // whatever ran in this JVM since
      return local.trainStep(x, rows.positions().length);
    } finally {
      if (gathered) {
        blocks.release(t, ShardBlocks.Kind.ROWS);
      }
    }
  }

  /**
   * Each partition's share of the step's rows read straight from the cached partitions in
   * this JVM's block manager: what the tasks of {@link #gatheredShares}' job would read,
   * without the job (its scheduling took ~20 ms a step at 784 x 6272, batch 256, a fifth of
   * the step). Null when a partition the step reads is not held here (blocks not persisted,
   * evicted, or a step over several windows, whose zipped blocks are never cached): then the
   * job computes them.
   */
  private float[][] heldShares(StepRows rows) {
    JavaRDD<RowBlock> rdd = rows.blocks();
    if (rdd.getStorageLevel().equals(StorageLevel.NONE())) {
      return null;
    }
    float[][] shares = new float[rdd.getNumPartitions()][];
    for (int p = 0; p < shares.length; p++) {
      int partition = p;
      shares[p] = rows.rowsIn(p) == 0 ? new float[0]
          : ShardBlocks.readHeld(new RDDBlockId(rdd.id(), p), values -> {
            @SuppressWarnings("unchecked")
            Iterator<RowBlock> blocks = (Iterator<RowBlock>) (Iterator<?>) values;
            return StepRows.share(partition, blocks, rows.positions(), rows.partitionOffsets(), dIn());
          });
      if (shares[p] == null) {
        return null;
      }
    }
    return shares;
  }

  /** Each partition's share of step {@code t}'s rows, gathered by a Spark job into blocks. */
  private float[][] gatheredShares(StepRows rows, long t) {
    sc.setJobDescription("train step " + (t + 1) + "/" + local.config().steps()
        + ": gathering rows");
    List<Integer> counts;
    try {
      counts = TaskFailures.rethrowing(() -> rows.blocks().mapPartitionsWithIndex(
          new Share(blocks, t, rows.positions(), rows.partitionOffsets(), dIn()), true)
          .collect());
    } finally {
      sc.setJobDescription(null);
    }
    float[][] shares = new float[counts.size()][];
    for (int p = 0; p < shares.length; p++) {
      shares[p] = counts.get(p) > 0 ? blocks.view(blocks.rows(t, p))[0] : new float[0];
    }
    return shares;
  }

  @Override
  public long step() {
    return local.step();
  }

  @Override
  public int dIn() {
    return local.dIn();
  }

  @Override
  public int dSae() {
    return local.dSae();
  }

  @Override
  public void write(Part part, int tensor, FloatSink sink) throws java.io.IOException {
    local.write(part, tensor, sink);
  }

  @Override
  public TrainConfig config() {
    return local.config();
  }

  /** Hands BLAS back to one thread a task, as Spark's tasks expect ({@code bin/sae}'s default). */
  @Override
  public void close() {
    Backend.setBlasThreads(1);
  }

  /**
   * One partition's share of the step's rows, kept as a block of this JVM (the array itself:
   * no serialisation, no copy); returns its row count.
   */
  private record Share(ShardBlocks blocks, long step, long[] positions, long[] partitionOffsets,
      int dIn) implements Function2<Integer, Iterator<RowBlock>, Iterator<Integer>> {
    @Override
    public Iterator<Integer> call(Integer partition, Iterator<RowBlock> rowBlocks) {
      float[] rows = StepRows.share(partition, rowBlocks, positions, partitionOffsets, dIn);
      if (rows.length > 0) {
        blocks.put(blocks.rows(step, partition), false, new ShardBlocks.Run(rows, 0, rows.length));
      }
      return List.of(rows.length / dIn).iterator();
    }
  }
}
