package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.optim.Adam;
import org.gsae.core.optim.DecoderConstraint;
import org.gsae.core.optim.GradientClipping;
import org.gsae.core.optim.GradientNorm;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sharded update against the whole-model update: cutting the model into shards must not
 * change a bit, and the whole-model update must be the paper's recipe composed from the
 * optimiser pieces one by one (clip, project, Adam, renormalise).
 */
class ShardUpdateTest {
  // W_enc 1.15M values (2 pieces), W_dec 3000 rows of 384 (2 pieces of 2730 rows), the
  // three vectors and b_dec one each: 8 pieces.
  private static final int D_IN = 384;
  private static final int D_SAE = 3000;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 9, 40})
  void givenAnyShardCount_thenShardsCoverEveryValueOnceInOrderWithWholeDecoderRows(int shards) {
    ShardLayout l = ShardLayout.of(D_IN, D_SAE, shards);
    assertEquals(Math.min(shards, 8), l.shards());
    long[][] shapes = SaeParameters.shapes(D_IN, D_SAE);
    int pieces = 0;
    for (int i = 0; i < 6; i++) {
      long next = 0;
      for (int s = 0; s < l.shards(); s++) {
        if (l.length(s, i) > 0) {
          assertEquals(next, l.from(s, i), "tensor " + i + " shard " + s);
          next += l.length(s, i);
          if (i == 4) {
            assertEquals(0, l.from(s, i) % D_IN);
            assertEquals(0, l.length(s, i) % D_IN);
          }
        }
      }
      assertEquals(shapes[i].length == 1 ? shapes[i][0] : shapes[i][0] * shapes[i][1], next);
    }
    long total = 0;
    for (int s = 0; s < l.shards(); s++) {
      assertTrue(l.pieces(s) >= 1);
      pieces += l.pieces(s);
      total += l.values(s);
    }
    assertEquals(8, pieces);
    assertEquals(SaeParameters.parameterCount(D_IN, D_SAE), total);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4, 9})
  void givenShards_whenPieceSquaresAddedInOrder_thenTheGlobalNormToTheBit(int shards) {
    SaeParameters g = random(7, 1f);
    ShardLayout l = ShardLayout.of(D_IN, D_SAE, shards);
    double sum = 0;
    for (int s = 0; s < l.shards(); s++) {
      for (double x : l.pieceSquares(s, Shard.copyOf(g, l, s))) {
        sum += x;
      }
    }
    double whole = GradientNorm.sumSquares(g);
    assertEquals(Double.doubleToLongBits(whole), Double.doubleToLongBits(sum));
    double plain = 0;   // an independent float64 sum, value by value
    for (float x : g.toFlat()) {
      plain += (double) x * x;
    }
    assertEquals(plain, whole, 1e-6 * plain);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 9})
  void givenShards_whenUpdatedForFiveSteps_thenBitIdenticalToTheWholeModelAndToTheRecipe(int shards) {
    // clip at 1.0 with gradients of norm ~ 50: clipping is active; lr warm-up off
    TrainConfig c = TrainConfig.defaults().withLr(1e-3);
    assertEquals(Variant.PAPER, c.variant());
    SaeParameters whole = SaeInit.initialize(D_IN, D_SAE, 3, new float[D_IN]);
    SaeParameters recipe = whole.copy();
    ShardLayout l = ShardLayout.of(D_IN, D_SAE, shards);
    List<Shard> params = new ArrayList<>();
    List<Shard> ms = new ArrayList<>();
    List<Shard> vs = new ArrayList<>();
    for (int s = 0; s < l.shards(); s++) {
      params.add(Shard.copyOf(whole, l, s));
      ms.add(Shard.zeros(l, s));
      vs.add(Shard.zeros(l, s));
    }
    ShardLayout one = ShardLayout.of(D_IN, D_SAE, 1);
    Shard wholeM = Shard.zeros(one, 0);
    Shard wholeV = Shard.zeros(one, 0);
    ShardUpdate update = new ShardUpdate(c);
    Adam adam = new Adam(c.adamBeta1(), c.adamBeta2(), c.adamEps());
    for (long t = 0; t < 5; t++) {
      SaeParameters g = random(100 + t, 0.05f);
      // sharded
      double sum = 0;
      List<Shard> gs = new ArrayList<>();
      for (int s = 0; s < l.shards(); s++) {
        gs.add(Shard.copyOf(g, l, s));
        for (double x : l.pieceSquares(s, gs.get(s))) {
          sum += x;
        }
      }
      for (int s = 0; s < l.shards(); s++) {
        update.apply(params.get(s), ms.get(s), vs.get(s), gs.get(s), Math.sqrt(sum), t);
      }
      // whole, in place
      SaeParameters gw = g.copy();
      double norm = Math.sqrt(GradientNorm.sumSquares(gw));
      assertTrue(norm > 10, "clipping must be active, norm " + norm);
      update.apply(Shard.view(whole), wholeM, wholeV, Shard.view(gw), norm, t);
      // the recipe from the optimiser pieces
      SaeParameters gr = g.copy();
      GradientClipping.clipInPlace(gr, c.clipGradNorm());
      DecoderConstraint.removeParallelComponentInPlace(gr, recipe.wDec());
      adam.step(recipe, gr, Schedules.learningRate(c, t));
      DecoderConstraint.renormalizeRows(recipe);
    }
    int[] w = bits(whole.toFlat());
    assertArrayEquals(bits(recipe.toFlat()), w);
    for (int s = 0; s < l.shards(); s++) {
      for (int i = 0; i < 6; i++) {
        int from = (int) l.from(s, i);
        float[] expect = java.util.Arrays.copyOfRange(whole.tensors().get(i).floatView(), from,
            from + l.length(s, i));
        assertArrayEquals(bits(expect), bits(params.get(s).segment(i)), "shard " + s + " tensor " + i);
        float[] wm = java.util.Arrays.copyOfRange(wholeM.segment(i), from, from + l.length(s, i));
        assertArrayEquals(bits(wm), bits(ms.get(s).segment(i)));
      }
    }
  }

  private static SaeParameters random(long seed, float scale) {
    SplittableRandom r = new SplittableRandom(seed);
    return SaeParameters.zeros(D_IN, D_SAE, org.gsae.core.tensor.DType.FLOAT32).map(t -> {
      float[] a = new float[(int) t.length()];
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextGaussian() * scale);
      }
      return t.rank() == 1 ? Tensor.of(a, a.length) : Tensor.of(a, t.rows(), t.cols());
    });
  }

  private static int[] bits(float[] a) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = Float.floatToRawIntBits(a[i]);
    }
    return b;
  }
}
