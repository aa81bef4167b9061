package org.gsae.spark.train;

import org.apache.spark.api.java.function.Function;
import org.gsae.core.train.Shard;
import org.gsae.core.train.ShardLayout;
import org.gsae.core.train.ShardUpdate;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.train.ShardBlocks.Kind;
import org.gsae.spark.train.ShardBlocks.Run;

/**
 * The reduce-scatter and update halves of one sharded step, one task per shard s, placed
 * where shard s's last task ran (in local mode called on the driver's thread):
 *
 * <ul>
 *   <li>{@link Mode#REDUCE}: fetch slice s of every partition's gradient sums and add them in
 *       partition order (the order the driver merged whole gradients in, so the sums are the
 *       same bits), divide by the step's row count, report the pieces' sums of squares (the
 *       global norm is their sum, O(pieces) numbers to the driver), and keep the mean gradient
 *       as a block for the update; when clipping is off, or the shard is the whole model, the
 *       update follows at once ({@link #fused}).
 *   <li>{@link Mode#UPDATE}: with the global norm from the driver, clip, project, Adam and
 *       renormalise shard s ({@link ShardUpdate}) and publish its parameters and moments of the
 *       next step.
 * </ul>
 *
 * A task reads blocks of step t and writes blocks of step t + 1, so running it again (a retry,
 * a recomputation) gives the same blocks. The one exception is local mode without task
 * retries, where nothing can run twice: there the task updates the arrays it read in place
 * and stores them as the next step's ({@link ShardBlocks#view}), so a step copies nothing.
 */
final class ShardTask implements Function<Integer, StepResult> {
  private static final long serialVersionUID = 1L;

  enum Mode { REDUCE, UPDATE }

  private final Mode mode;
  private final ShardBlocks blocks;
  private final ShardLayout layout;
  private final TrainConfig config;
  private final long step;
  private final int[] partitions;   // partitions that hold rows of the step, in order
  private final long rows;
  private final boolean fused;
  private final double norm;
  private final boolean zeroMoments;

  ShardTask(Mode mode, ShardBlocks blocks, ShardLayout layout, TrainConfig config, long step,
      int[] partitions, long rows, double norm, boolean zeroMoments) {
    this.mode = mode;
    this.blocks = blocks;
    this.layout = layout;
    this.config = config;
    this.step = step;
    this.partitions = partitions;
    this.rows = rows;
    this.fused = fused(config, layout);
    this.norm = norm;
    this.zeroMoments = zeroMoments;
  }

  /**
   * Whether the update follows the reduction in the same task: when the update does not need
   * the global norm first (clipping off) or the shard is the whole model (its norm is the
   * global norm).
   */
  static boolean fused(TrainConfig config, ShardLayout layout) {
    return config.clipGradNorm() == 0 || layout.shards() == 1;
  }

  @Override
  public StepResult call(Integer shard) {
    int s = shard;
    StepParameters.clear();   // the step's gradient tasks are done: this executor's copy can go
    Shard mean;
    double[] squares = null;
    if (mode == Mode.REDUCE) {
      mean = null;
      try {
        for (int p : partitions) {
          // the others added to the first partition's sums (in place where a task is never
          // retried: only this task reads the block; else a copy)
          mean = mean == null ? blocks.shard(blocks.grad(step, p, s), layout, s)
              : mean.addInPlace(blocks.shard(blocks.grad(step, p, s), layout, s));
        }
      } catch (ShardBlocks.LostBlockException e) {
        return StepResult.lost(s, Kind.GRAD);
      }
      mean.scaleInPlace(1.0f / rows);   // the float32 reciprocal, as the step has always used
      squares = layout.pieceSquares(s, mean);
      if (!fused) {
        blocks.put(blocks.mean(step, s), false, Run.of(mean));
        return StepResult.shard(s, squares);
      }
    } else {
      try {
        mean = blocks.shard(blocks.mean(step, s), layout, s);
      } catch (ShardBlocks.LostBlockException e) {
        return StepResult.lost(s, Kind.MEAN);
      }
    }
    Shard params;
    Shard m;
    Shard v;
    try {
      params = blocks.shard(blocks.state(Kind.PARAMS, step, s), layout, s);
      Shard[] mv = zeroMoments ? new Shard[] {Shard.zeros(layout, s), Shard.zeros(layout, s)}
          : blocks.shards(blocks.state(Kind.MOMENTS, step, s), layout, s, 2);
      m = mv[0];
      v = mv[1];
    } catch (ShardBlocks.LostBlockException e) {
      return StepResult.lost(s, Kind.PARAMS);
    }
    double global = norm;
    if (fused) {   // clipping off (the norm is not used) or one shard (its norm is the global one)
      global = 0;
      for (double x : squares) {
        global += x;
      }
      global = Math.sqrt(global);
    }
    new ShardUpdate(config).apply(params, m, v, mean, global, step);
    blocks.put(blocks.state(Kind.PARAMS, step + 1, s), true, Run.of(params));
    blocks.put(blocks.state(Kind.MOMENTS, step + 1, s), true, Run.of(m, v));
    return StepResult.shard(s, squares);
  }

}
