package org.gsae.spark.train;

import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.train.ShardLayout;

/**
 * The all-gather half of a sharded step, once per executor JVM and step: the first gradient
 * task of a step on an executor fetches every shard's parameter blocks into one
 * {@link SaeParameters}; the executor's other tasks of that step use the same object (read
 * only). One step's parameters are kept, replaced by the next step's. In local mode with one
 * shard they are the stored arrays themselves (no copy).
 */
final class StepParameters {
  private static long cachedGroup = -1;
  private static SaeParameters cached;

  private StepParameters() {}

  static synchronized SaeParameters get(ShardBlocks blocks, ShardLayout layout, long step) {
    long group = blocks.group(step, ShardBlocks.Kind.PARAMS);
    if (group != cachedGroup) {
      cached = null;   // let the previous step's arrays go before the new ones are allocated
      cachedGroup = -1;
      boolean whole = blocks.objects() && layout.shards() == 1;   // the stored arrays will do
      SaeParameters p = whole ? view(blocks, layout, step)
          : SaeParameters.zeros(layout.dIn(), layout.dSae(), DType.FLOAT32);
      for (int s = 0; s < layout.shards() && !whole; s++) {
        blocks.read(blocks.state(ShardBlocks.Kind.PARAMS, step, s),
            ShardBlocks.Run.of(p, layout, s));
      }
      cached = p;
      cachedGroup = group;
    }
    return cached;
  }

  /** Local mode, one shard: the stored arrays themselves, read only. */
  private static SaeParameters view(ShardBlocks blocks, ShardLayout layout, long step) {
    long[][] shapes = SaeParameters.shapes(layout.dIn(), layout.dSae());
    float[][] held = blocks.view(blocks.state(ShardBlocks.Kind.PARAMS, step, 0));
    Tensor[] t = new Tensor[shapes.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = Tensor.wrap(held[i], shapes[i]);
    }
    return SaeParameters.fromList(java.util.List.of(t));
  }

  /** Forgets the cached parameters (a run's end, so an executor does not keep a model it no longer needs). */
  static synchronized void clear() {
    cached = null;
    cachedGroup = -1;
  }
}
