package org.gsae.spark.train;

import java.io.Serializable;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockManagerId;
import org.gsae.core.loss.LossSums;

/**
 * What one task of a sharded step sends the driver: a few numbers, never an array of the
 * model's size. A gradient task sends its partition's loss sums; a shard's reducer the sums of
 * squares of its mean gradient's pieces; every shard task where it ran (so the next task of
 * that shard is placed there, next to its blocks). A task that found a block missing says which
 * kind instead of failing, so the driver recomputes what was lost.
 *
 * @param index    partition (gradient task) or shard (reducer, updater)
 * @param loss     a gradient task's loss sums, else null
 * @param squares  a reducer's piece sums of squares, else null
 * @param location where the task ran, as a Spark task location ({@code executor_<host>_<id>})
 * @param lost     the kind of a block the task could not find, else null
 */
record StepResult(int index, LossSums loss, double[] squares, String location,
    ShardBlocks.Kind lost) implements Serializable {

  static StepResult loss(int partition, LossSums loss) {
    return new StepResult(partition, loss, null, here(), null);
  }

  static StepResult shard(int shard, double[] squares) {
    return new StepResult(shard, null, squares, here(), null);
  }

  static StepResult lost(int index, ShardBlocks.Kind kind) {
    return new StepResult(index, null, null, here(), kind);
  }

  private static String here() {
    BlockManagerId id = SparkEnv.get().blockManager().blockManagerId();
    return "executor_" + id.host() + "_" + id.executorId();
  }
}
