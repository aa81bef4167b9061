package org.gsae.core.train;

import java.util.Objects;
import org.gsae.core.optim.Adam;
import org.gsae.core.optim.GradientClipping;
import org.gsae.core.tensor.Tensor;

/**
 * The optimiser update of one step on one shard (docs/architecture.md §6), the same for the
 * local trainer (one shard: the whole model, in place) and the Spark trainer (each shard where
 * it is kept): clip the mean gradient by the global norm, remove each decoder row's parallel
 * component (PAPER variant), Adam at the scheduled learning rate, renormalise decoder rows
 * (PAPER variant). Every operation is value by value or row by row and rows never straddle
 * shards, so a model cut into any number of shards updates to the same bits as one shard. The
 * four run as one pass over each tensor, block by block ({@link Adam#apply(Tensor, Tensor,
 * Tensor, Tensor, double, boolean, double, long)}), with the same bits as four passes.
 */
public final class ShardUpdate {
  private static final int W_DEC = 4;
  private final TrainConfig config;
  private final Adam adam;

  public ShardUpdate(TrainConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.adam = new Adam(config.adamBeta1(), config.adamBeta2(), config.adamEps());
  }

  /**
   * Updates one shard in place for step index {@code t} (0-based).
   *
   * @param params   the shard's parameters, updated
   * @param m        Adam's first moment of the shard, updated
   * @param v        Adam's second moment of the shard, updated
   * @param meanGrad the shard of the step's mean gradient; scratch, its values afterwards
   *                 unspecified (decoder rows are clipped and projected in place)
   * @param norm     the global norm of the whole mean gradient ({@link ShardLayout#pieceSquares})
   */
  public void apply(Shard params, Shard m, Shard v, Shard meanGrad, double norm, long t) {
    double coef = GradientClipping.coefficient(norm, config.clipGradNorm());
    boolean unit = config.variant().unitNormDecoder();
    double lr = Schedules.learningRate(config, t);
    for (int i = 0; i < 6; i++) {
      Tensor p = params.tensor(i);
      if (p != null) {
        adam.apply(p, m.tensor(i), v.tensor(i), meanGrad.tensor(i), coef, unit && i == W_DEC,
            lr, t + 1);
      }
    }
  }

  public TrainConfig config() {
    return config;
  }
}
