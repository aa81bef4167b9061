package org.gsae.spark.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.gsae.core.io.TrainerState;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.loss.LossSums;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.BatchPlan;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.Schedules;
import org.gsae.core.train.ShardLayout;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;
import org.gsae.core.train.Trainer;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.store.TaskFailures;
import org.gsae.spark.train.ShardBlocks.Kind;
import org.gsae.spark.train.ShardBlocks.Run;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training with the parameters and Adam's moments cut into shards
 * that live on the executors (docs/architecture.md §6; BigDL's reduce-scatter and all-gather
 * over Spark's block manager). Each step runs three Spark jobs (in local mode one job, the
 * shard tasks running on the driver's thread over this JVM's arrays):
 *
 * <ol>
 *   <li>every partition sums the loss and gradient over its share of the global batch and
 *       keeps the sums, cut into shards, as blocks ({@link StepTask}); each executor first
 *       gathers the step's parameters from the shards' blocks ({@link StepParameters});
 *   <li>the task of shard s fetches slice s of every partition's sums, adds them in partition
 *       order, divides by the row count and reports its pieces' sums of squares
 *       ({@link ShardTask.Mode#REDUCE});
 *   <li>with the global norm (summed here, piece by piece in order) the task of shard s clips,
 *       projects and applies Adam to its shard and publishes the next step's blocks
 *       ({@link ShardTask.Mode#UPDATE}); when clipping is off or there is one shard (the
 *       default in local mode), step 2 does this at once.
 * </ol>
 *
 * The driver moves the loss sums of each partition, the pieces' sums of squares, and where
 * each shard's task ran: O(P + S + pieces) numbers, never an array of the model's size.
 *
 * <p>Guarantees: every summation happens in an order fixed by the partitioning and the model
 * shape (partition order; {@link org.gsae.core.optim.GradientNorm} pieces), never by task
 * timing or the number of shards, so with one partition the result is bit-identical to
 * {@link SaeTrainer} on the same rows, and with P partitions to merging the P gradients in
 * partition order and updating on one machine. A lost gradient or mean-gradient block is
 * recomputed; a shard of the state lost with its executor (with every copy, when
 * {@link #REPLICATION_KEY} keeps two) makes the step throw {@link StateLostException}, and the
 * run resumes from its newest checkpoint, which (a step being a pure function of its inputs)
 * recomputes the same bits.
 *
 * <p>The driver holds one shard's segments at a time: while it stores the initial state (read
 * from a checkpoint range by range) and while it writes a checkpoint or the model
 * ({@link TrainerState}). In local mode {@code train} uses {@link InProcessTrainer} unless
 * {@code spark.partitions} is set.
 */
public final class DistributedTrainer implements Trainer<StepRows> {
  /** Phases of a step, for {@link #phaseSeconds()}. */
  public static final List<String> PHASES =
      List.of("gradient tasks", "shard reduction", "shard update");
  /**
   * Spark setting: copies of each shard of the training state (1, the default: a state shard
   * lost with its executor is recomputed from the newest checkpoint; 2: a second copy on
   * another executor, written synchronously every step, survives the loss of one).
   */
  public static final String REPLICATION_KEY = "spark.gsae.stateReplication";
  /** The class of every training task's result (for serializer registration). */
  public static final Class<?> RESULT_CLASS = StepResult.class;
  /** Largest shard of the parameters the default layout makes on a cluster. */
  static final long MAX_SHARD_BYTES = 64L << 20;
  /** Attempts at a step whose blocks an executor loss took before the state is given up. */
  private static final int ATTEMPTS = 4;
  private static final ClassTag<Integer> INT = ClassTag$.MODULE$.apply(Integer.class);

  private final JavaSparkContext sc;
  private final TrainConfig config;
  private final GatedLoss loss;
  private final int chunkRows;
  private final ShardLayout layout;
  private final ShardBlocks blocks;
  private final String[] placement;
  private final double[] phaseSeconds = new double[3];
  private long step;
  private boolean zeroMoments;
  private long closureBytes;

  /**
   * Stores {@code initial} as the shards' blocks, reading it one shard at a time (a
   * {@link org.gsae.core.io.Checkpoint} reads just that shard's ranges of its files), so the
   * driver never holds more than one shard of the state.
   *
   * @param initial the parameters (float32), Adam's moments and the step to continue from:
   *                a checkpoint, another trainer, or {@link TrainerState#initial}
   * @param shards  shards wanted; 0 = one in local mode; on a cluster one per executor core
   *                ({@code defaultParallelism}), more when a shard would exceed 64 MiB
   */
  public DistributedTrainer(JavaSparkContext sc, TrainConfig config, TrainerState initial,
      int shards) {
    this(sc, config, new GatedLoss(config.variant(), config.auxCoefficient()),
        SaeTrainer.DEFAULT_CHUNK_ROWS, initial, shards);
  }

  DistributedTrainer(JavaSparkContext sc, TrainConfig config, GatedLoss loss, int chunkRows,
      TrainerState initial, int shards) {
    this.sc = sc;
    this.config = config;
    this.loss = loss;
    this.chunkRows = chunkRows;
    // Local mode: one shard, so the reduction and the update are one task on arrays that stay
    // in this JVM; a cluster: one shard per executor core, and shards of at most 64 MiB of
    // parameters (the driver holds one shard's block at a time when it writes a checkpoint).
    long bytes = 4 * SaeParameters.parameterCount(initial.dIn(), initial.dSae());
    this.layout = ShardLayout.of(initial.dIn(), initial.dSae(), shards > 0 ? shards
        : sc.isLocal() ? 1 : (int) Math.max(Math.max(1, sc.defaultParallelism()),
            (bytes + MAX_SHARD_BYTES - 1) / MAX_SHARD_BYTES));
    this.blocks = new ShardBlocks(sc.isLocal() ? 1 : sc.getConf().getInt(REPLICATION_KEY, 1),
        ShardBlocks.arraysFor(sc.master()));
    this.placement = new String[layout.shards()];
    this.step = initial.step();
    // Adam's moments are zero until the first update.
    this.zeroMoments = step == 0;
    int k = SaeParameters.NAMES.size();
    try {
      for (int s = 0; s < layout.shards(); s++) {
        Run[] p = new Run[k];
        Run[] mv = new Run[2 * k];
        for (int i = 0; i < k; i++) {
          p[i] = segment(initial, Part.PARAMS, s, i);
          if (!zeroMoments) {
            mv[i] = segment(initial, Part.ADAM_M, s, i);
            mv[k + i] = segment(initial, Part.ADAM_V, s, i);
          }
        }
        blocks.put(blocks.state(Kind.PARAMS, step, s), true, p);
        if (!zeroMoments) {
          blocks.put(blocks.state(Kind.MOMENTS, step, s), true, mv);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading the initial state " + initial, e);
    }
  }

  /** Shard {@code s}'s segment of one tensor of {@code initial}, in a new array. */
  private Run segment(TrainerState initial, Part part, int s, int tensor) throws IOException {
    int len = layout.length(s, tensor);
    float[] a = new float[len];
    if (len > 0) {
      initial.read(part, tensor, layout.from(s, tensor), a, 0, len);
    }
    return new Run(a, 0, len);
  }

  /**
   * Continues from a local trainer's state (parameters, moments, step, config, loss and
   * chunking), which is copied into blocks; the local trainer is left as it was.
   */
  public static DistributedTrainer from(JavaSparkContext sc, SaeTrainer local, int shards) {
    return new DistributedTrainer(sc, local.config(), local.loss(), local.chunkRows(), local,
        shards);
  }

  /**
   * Runs one step (the next) on all the rows of a packed store, drawn by {@link BatchPlan}:
   * the rows the local {@link SaeTrainer} would take.
   *
   * @param rowBlocks          packed rows; partition p holds positions
   *                           [sum(counts[0..p)), sum(counts[0..p]))
   * @param partitionRowCounts valid rows per partition, in partition order
   */
  public StepMetrics step(JavaRDD<RowBlock> rowBlocks, long[] partitionRowCounts) {
    long rows = Arrays.stream(partitionRowCounts).sum();
    BatchPlan plan = new BatchPlan(rows, config.batchSize(), config.seed(), config.shuffle());
    return step(StepRows.of(rowBlocks, partitionRowCounts, plan.indices(step)));
  }

  /**
   * Runs one step (the next) on the given rows and returns its metrics; a task that failed on
   * bad input is the {@link org.gsae.core.error.GsaeException} it threw.
   */
  @Override
  public StepMetrics step(StepRows rows) {
    return TaskFailures.rethrowing(() -> run(rows));
  }

  private StepMetrics run(StepRows rows) {
    long t = step;
    double lambda = lambdaAt(t);
    String what = "train step " + (t + 1) + "/" + config.steps();
    long t0 = System.nanoTime();
    try {
      StepResult[] grads = gradients(rows, t, lambda, what);
      LossSums total = LossSums.EMPTY;
      List<Integer> withRows = new ArrayList<>();
      for (StepResult r : grads) {   // in partition order
        total = total.merge(r.loss());
        if (r.loss().rows() > 0) {
          withRows.add(r.index());
        }
      }
      if (total.rows() == 0) {
        throw new IllegalStateException("no rows were added: the global batch was empty");
      }
      int[] parts = withRows.stream().mapToInt(Integer::intValue).toArray();
      long t1 = System.nanoTime();
      double norm = Double.NaN;
      long t2 = t1;
      boolean fused = ShardTask.fused(config, layout);
      // Reduce, then update; a block an executor took with it is recomputed from the step
      // before it (mean gradients from gradient slices, gradient slices from the rows).
      for (int attempt = 1; ; attempt++) {
        if (attempt > ATTEMPTS) {
          throw new IllegalStateException("step " + (t + 1) + ": blocks of the step were lost "
              + ATTEMPTS + " times in a row");
        }
        StepResult[] reduced = shards(ShardTask.Mode.REDUCE, t, parts, total.rows(), Double.NaN,
            what + ": shard reduction");
        requireState(reduced, t);
        if (lost(reduced, Kind.GRAD)) {
          gradients(rows, t, lambda, what + " (recomputing lost gradients)");
          continue;
        }
        double squares = 0;
        for (StepResult r : reduced) {   // shard order, piece order: the global order
          for (double x : r.squares()) {
            squares += x;
          }
        }
        norm = Math.sqrt(squares);
        t2 = System.nanoTime();
        if (fused) {
          break;
        }
        StepResult[] updated = shards(ShardTask.Mode.UPDATE, t, parts, total.rows(), norm,
            what + ": shard update");
        requireState(updated, t);
        if (!lost(updated, Kind.MEAN)) {
          break;
        }
      }
      long t3 = System.nanoTime();
      phaseSeconds[0] += (t1 - t0) / 1e9;
      phaseSeconds[1] += (t2 - t1) / 1e9;
      phaseSeconds[2] += (t3 - t2) / 1e9;
      for (Kind k : Kind.values()) {
        blocks.release(t, k);
      }
      step = t + 1;
      zeroMoments = false;
      return StepMetrics.of(step, total, Schedules.learningRate(config, t), lambda, norm);
    } finally {
      sc.setJobDescription(null);
    }
  }

  private StepResult[] gradients(StepRows rows, long t, double lambda, String what) {
    sc.setJobDescription(what);
    StepTask task = new StepTask(blocks, layout, t, lambda, rows.positions(),
        rows.partitionOffsets(), loss, chunkRows);
    closureBytes += serializedSize(task);
    List<StepResult> out = rows.blocks().mapPartitionsWithIndex(task, true).collect();
    StepResult[] sorted = out.toArray(StepResult[]::new);
    Arrays.sort(sorted, (a, b) -> Integer.compare(a.index(), b.index()));
    if (lost(sorted, Kind.PARAMS)) {
      throw new StateLostException(t);
    }
    return sorted;
  }

  /**
   * One task per shard, each preferring the executor where that shard's last task ran. In
   * local mode without retries (the blocks are this JVM's arrays) the shard tasks run right
   * here, one after another, without a Spark job: the same code, one job fewer a step.
   */
  private StepResult[] shards(ShardTask.Mode mode, long t, int[] parts, long rows, double norm,
      String what) {
    ShardTask task = new ShardTask(mode, blocks, layout, config, t, parts, rows, norm,
        zeroMoments);
    StepResult[] sorted = new StepResult[layout.shards()];
    if (blocks.objects()) {
      for (int s = 0; s < sorted.length; s++) {
        sorted[s] = task.call(s);
      }
      return sorted;
    }
    sc.setJobDescription(what);
    List<Tuple2<Integer, Seq<String>>> placed = new ArrayList<>();
    for (int s = 0; s < layout.shards(); s++) {
      List<String> where = placement[s] == null ? List.of() : List.of(placement[s]);
      placed.add(new Tuple2<>(s, JavaConverters.asScalaBuffer(where).toSeq()));
    }
    RDD<Integer> ids = sc.sc().makeRDD(JavaConverters.asScalaBuffer(placed).toSeq(), INT);
    closureBytes += serializedSize(task);
    for (StepResult r : JavaRDD.fromRDD(ids, INT).map(task).collect()) {
      sorted[r.index()] = r;
      placement[r.index()] = r.location();
    }
    return sorted;
  }

  private static boolean lost(StepResult[] results, Kind kind) {
    return Arrays.stream(results).anyMatch(r -> r.lost() == kind);
  }

  /** Throws when a task found its shard's state gone. */
  private static void requireState(StepResult[] results, long t) {
    if (lost(results, Kind.PARAMS)) {
      throw new StateLostException(t);
    }
  }

  /** The sparsity coefficient for step index {@code t} (config's lambda and warm-up). */
  private double lambdaAt(long t) {
    return Schedules.sparsityCoefficient(config, config.sparsityCoefficient(), t);
  }

  @Override
  public int dIn() {
    return layout.dIn();
  }

  @Override
  public int dSae() {
    return layout.dSae();
  }

  /** Steps taken (the index of the next step). */
  @Override
  public long step() {
    return step;
  }

  /**
   * Streams one tensor shard by shard from the blocks: the driver holds one shard's block and
   * that shard's segment of the tensor at a time.
   */
  @Override
  public void write(Part part, int tensor, FloatSink sink) throws IOException {
    try {
      writeShards(part, tensor, sink);
    } catch (ShardBlocks.LostBlockException e) {
      throw new StateLostException(step - 1);
    }
  }

  private void writeShards(Part part, int tensor, FloatSink sink) throws IOException {
    int k = SaeParameters.NAMES.size();
    for (int s = 0; s < layout.shards(); s++) {
      int len = layout.length(s, tensor);
      if (len == 0) {
        continue;
      }
      float[] a = new float[len];
      if (part == Part.PARAMS || !zeroMoments) {
        // this segment's values out of the block: the runs before and after it are skipped
        int group = part == Part.ADAM_V ? 1 : 0;
        List<Run> runs = new ArrayList<>();
        for (int j = 0; j < (part == Part.PARAMS ? 1 : 2); j++) {
          for (int i = 0; i < k; i++) {
            int n = layout.length(s, i);
            runs.add(j == group && i == tensor ? new Run(a, 0, n) : Run.skip(n));
          }
        }
        blocks.read(blocks.state(part == Part.PARAMS ? Kind.PARAMS : Kind.MOMENTS, step, s),
            runs.toArray(Run[]::new));
      }
      sink.write(a, 0, len);
    }
  }

  public ShardLayout layout() {
    return layout;
  }

  @Override
  public TrainConfig config() {
    return config;
  }

  /**
   * Bytes of the functions the driver has sent with its jobs so far (Java-serialised, as Spark
   * ships them once per job in the task binary; the step's row positions are in them).
   */
  public long closureBytes() {
    return closureBytes;
  }

  private static long serializedSize(java.io.Serializable o) {
    long[] n = {0};
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        n[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        n[0] += len;
      }
    })) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return n[0];
  }

  /** Seconds spent in each of {@link #PHASES} over all steps so far. */
  public double[] phaseSeconds() {
    return phaseSeconds.clone();
  }

  /** Drops the state's blocks (and this JVM's cached parameters). */
  @Override
  public void close() {
    for (Kind k : Kind.values()) {
      blocks.release(step, k);
    }
    StepParameters.clear();
  }

  /** Every copy of a shard of the training state was lost with its executors. */
  public static final class StateLostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StateLostException(long t) {
      super("step " + (t + 1) + ": every copy of a shard of the parameters or optimiser state"
          + " was lost with its executors; the run resumes from its last checkpoint");
    }
  }
}
