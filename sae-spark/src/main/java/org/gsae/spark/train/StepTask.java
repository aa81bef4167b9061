package org.gsae.spark.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.loss.LossSums;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.GradientAccumulator;
import org.gsae.core.train.ShardLayout;
import org.gsae.spark.store.RowBlock;

/**
 * The gradient half of one training step on partition p: take the step's parameters (fetched
 * from the shards' blocks once per executor and step, {@link StepParameters}), pick the rows
 * of the step's global batch that this partition holds, gather them (in store order) into one
 * row-major block, sum their loss and gradient with a {@link GradientAccumulator}, and keep the
 * gradient sums, cut into the layout's shards, as blocks of this executor
 * ({@link ShardBlocks.Kind#GRAD}) for the shards' reducers. Only the loss sums (a few numbers)
 * go to the driver: one {@link StepResult} per partition, empty when the partition holds none of
 * the batch (it then stores no gradient).
 */
final class StepTask implements Function2<Integer, Iterator<RowBlock>, Iterator<StepResult>> {
  private static final long serialVersionUID = 2L;

  private final ShardBlocks blocks;
  private final ShardLayout layout;
  private final long step;
  private final double lambda;
  private final long[] positions;          // the step's sorted global positions
  private final long[] partitionOffsets;   // first global position of each partition
  private final GatedLoss loss;
  private final int chunkRows;

  StepTask(ShardBlocks blocks, ShardLayout layout, long step, double lambda, long[] positions,
      long[] partitionOffsets, GatedLoss loss, int chunkRows) {
    this.blocks = blocks;
    this.layout = layout;
    this.step = step;
    this.lambda = lambda;
    this.positions = positions;
    this.partitionOffsets = partitionOffsets;
    this.loss = loss;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<StepResult> call(Integer partition, Iterator<RowBlock> rowBlocks) {
    int dIn = layout.dIn();
    float[] rows = StepRows.share(partition, rowBlocks, positions, partitionOffsets, dIn);
    if (rows.length == 0) {
      return List.of(StepResult.loss(partition, LossSums.EMPTY)).iterator();
    }
    try {
      SaeParameters params = StepParameters.get(blocks, layout, step);
      GradientAccumulator acc = new GradientAccumulator(dIn, layout.dSae())
          .add(params, loss, lambda, rows, rows.length / dIn, chunkRows);
      LossSums sums = acc.loss();
      SaeParameters g = acc.takeSums();
      for (int s = 0; s < layout.shards(); s++) {
        blocks.put(blocks.grad(step, partition, s), false, ShardBlocks.Run.of(g, layout, s));
      }
      return List.of(StepResult.loss(partition, sums)).iterator();
    } catch (ShardBlocks.LostBlockException e) {
      return List.of(StepResult.lost(partition, ShardBlocks.Kind.PARAMS)).iterator();
    }
  }
}
