package org.gsae.spark.train;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.error.Errors;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.BatchPlan;
import org.gsae.core.train.GradientAccumulator;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.results.OrderedResults;
import org.gsae.spark.store.RowBlock;

/**
 * Synchronous data-parallel training (docs/architecture.md §6): each step ({@link StepRows}: the
 * step's rows and the blocks that hold them) broadcasts the parameters
 * (large ones in two halves, written on two threads), every partition sums the loss and
 * gradient over its share of the global batch ({@link StepTask}), the driver reads the
 * per-partition sums from the executors' block managers and merges them <em>in partition order</em>
 * (so the result does not depend on which task finishes first; {@link OrderedResults}), and the
 * driver applies the update through the same {@link SaeTrainer} the local path uses.
 *
 * <p>Consequences: with one partition the result is bit-identical to {@link SaeTrainer} on
 * the same rows; with a fixed partitioning it is bit-identical across runs, task retries and
 * executor losses (a step is a pure function of the parameters and the step's rows).
 *
 * <p>Driver memory: the model, the optimiser state, the merged gradient and one partition's
 * gradient at a time (all of them at once when they come back as task results: at most
 * 64 MiB; {@link OrderedResults}).
 */
public final class DistributedTrainer {
  private final JavaSparkContext sc;
  private final SaeTrainer trainer;
  private final double[] phaseSeconds = new double[3];

  /** The class of the object each step broadcasts (for serializer registration). */
  public static final Class<?> BROADCAST_CLASS = StepTask.Payload.class;

  /** Creates the second half of each step's broadcast (daemon threads; idle ones end after a minute). */
  private static final ExecutorService BROADCASTER = Executors.newCachedThreadPool(r -> {
    Thread th = new Thread(r, "gsae-broadcast");
    th.setDaemon(true);
    return th;
  });

  /** Phases of a step, for {@link #phaseSeconds()}. */
  public static final List<String> PHASES =
      List.of("broadcast", "partition tasks + ordered transfer and merge", "driver update");

  /**
   * @param sc      Spark context
   * @param trainer driver-side state: the model, optimiser, step counter, config
   */
  public DistributedTrainer(JavaSparkContext sc, SaeTrainer trainer) {
    this.sc = sc;
    this.trainer = trainer;
  }

  /**
   * Runs one step (the trainer's next) on all the rows of a packed store, drawn by
   * {@link BatchPlan}: the rows the local {@link SaeTrainer} would take.
   *
   * @param blocks             packed rows; partition p holds positions
   *                           [sum(counts[0..p)), sum(counts[0..p]))
   * @param partitionRowCounts valid rows per partition, in partition order
   */
  public StepMetrics step(JavaRDD<RowBlock> blocks, long[] partitionRowCounts) {
    long rows = Arrays.stream(partitionRowCounts).sum();
    TrainConfig c = trainer.config();
    BatchPlan plan = new BatchPlan(rows, c.batchSize(), c.seed(), c.shuffle());
    return step(StepRows.of(blocks, partitionRowCounts, plan.indices(trainer.step())));
  }

  /** Runs one step (the trainer's next) on the given rows and returns its metrics. */
  StepMetrics step(StepRows rows) {
    long t = trainer.step();
    double lambda = trainer.lambdaAt(t);
    StepTask.Payload[] payload = StepTask.Payload.split(trainer.model().parameters(),
        rows.positions(), lambda);
    long t0 = System.nanoTime();
    // A broadcast serialises its value into torrent pieces on the thread that creates it, and
    // the executors are idle until it exists: a second half is written on a second thread.
    CompletableFuture<Broadcast<StepTask.Payload>> tailFuture = payload.length == 1
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.supplyAsync(() -> sc.broadcast(payload[1]), BROADCASTER);
    Broadcast<StepTask.Payload> head = null;
    Broadcast<StepTask.Payload> tail = null;
    try {
      head = sc.broadcast(payload[0]);
      tail = joinUnwrapped(tailFuture);
      long t1 = System.nanoTime();
      sc.setJobDescription("train step " + (t + 1) + "/" + trainer.config().steps());
      int dIn = trainer.model().dInput();
      int dSae = trainer.model().dHidden();
      JavaRDD<GradientAccumulator> parts = rows.blocks().mapPartitionsWithIndex(
          new StepTask(tail == null ? List.of(head) : List.of(head, tail), rows.partitionOffsets(),
              dIn, dSae, trainer.loss(), trainer.chunkRows()), true);
      GradientAccumulator total = new GradientAccumulator(dIn, dSae);
      // Fixed order: partition 0, 1, ...; merge copies, as a partition's gradient may be the
      // cached object itself.
      OrderedResults.forEachInOrder(parts, 4 * SaeParameters.parameterCount(dIn, dSae),
          "train step " + (t + 1) + "/" + trainer.config().steps(), total::merge);
      long t2 = System.nanoTime();
      StepMetrics m = trainer.applyStep(total, lambda);
      long t3 = System.nanoTime();
      phaseSeconds[0] += (t1 - t0) / 1e9;
      phaseSeconds[1] += (t2 - t1) / 1e9;
      phaseSeconds[2] += (t3 - t2) / 1e9;
      return m;
    } finally {
      sc.setJobDescription(null);
      if (head != null) {
        head.destroy();
      }
      if (tail == null) {   // the head failed first, or the tail did: release it if it exists
        tail = tailFuture.exceptionally(e -> null).join();
      }
      if (tail != null) {
        tail.destroy();
      }
    }
  }

  /** Waits for {@code f}; its failure is rethrown as it was thrown, not wrapped. */
  private static <T> T joinUnwrapped(CompletableFuture<T> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw Errors.unwrap(e);
    }
  }

  /** Seconds spent in each of {@link #PHASES} over all steps so far (the broadcast destroy is not counted). */
  public double[] phaseSeconds() {
    return phaseSeconds.clone();
  }

  public SaeTrainer trainer() {
    return trainer;
  }
}
