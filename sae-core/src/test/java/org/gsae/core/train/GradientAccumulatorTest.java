package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.junit.jupiter.api.Test;

/** The per-partition aggregator, without Spark: parts merged equal the whole. */
class GradientAccumulatorTest {
  private static final GatedLoss LOSS = new GatedLoss(Variant.PAPER, 1.0);
  private static final SyntheticActivations DATA = SyntheticActivations.generate(300, 8, 16, 3, 0.05, 1);
  private static final SaeParameters P = SaeInit.initialize(8, 24, 2, DATA.data().mean());

  private static GradientAccumulator over(int from, int to, int chunk) {
    float[] rows = Arrays.copyOfRange(DATA.data().data(), from * 8, to * 8);
    return new GradientAccumulator(8, 24).add(P, LOSS, 0.5, rows, to - from, chunk);
  }

  @Test
  void givenOneBlock_thenMeanGradientIsTheLossGradientOverRows() {
    GatedLoss.Result r = LOSS.evaluate(P, DATA.data().slice(0, 300), 0.5);
    GradientAccumulator acc = over(0, 300, 1000);
    assertEquals(300, acc.rows());
    // The training path (GEMM-based dense chunks here) and evaluate() sum in different orders.
    assertEquals(r.loss().rows(), acc.loss().rows());
    assertEquals(r.loss().l0(), acc.loss().l0(), "L0 is a count");
    assertEquals(r.loss().mse(), acc.loss().mse(), 1e-6 * r.loss().mse());
    assertEquals(r.loss().l1(), acc.loss().l1(), 1e-6 * r.loss().l1());
    assertEquals(r.loss().aux(), acc.loss().aux(), 1e-6 * r.loss().aux());
    float[] expected = r.gradientSum().map(t -> t.scale(1.0 / 300)).toFlat();
    float[] actual = acc.takeMeanGradient().toFlat();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "index " + i);
    }
  }

  @Test
  void givenPartsInAnySplit_whenMerged_thenEqualToWholeWithinRounding() {
    float[] whole = over(0, 300, 1000).takeMeanGradient().toFlat();
    for (int[] cuts : new int[][] {{0, 1, 300}, {0, 100, 200, 300}, {0, 299, 300}, {0, 150, 150, 300}}) {
      GradientAccumulator acc = new GradientAccumulator(8, 24);
      for (int i = 0; i + 1 < cuts.length; i++) {
        if (cuts[i + 1] > cuts[i]) {
          acc.merge(over(cuts[i], cuts[i + 1], 64));
        } else {
          acc.merge(new GradientAccumulator(8, 24));   // an empty partition
        }
      }
      assertEquals(300, acc.rows());
      float[] merged = acc.takeMeanGradient().toFlat();
      for (int i = 0; i < whole.length; i++) {
        assertEquals(whole[i], merged[i], 1e-5 * Math.max(1, Math.abs(whole[i])),
            "cuts " + Arrays.toString(cuts) + " index " + i);
      }
    }
  }

  @Test
  void givenSameParts_whenMergedInSameOrder_thenBitIdentical() {
    GradientAccumulator a = over(0, 120, 50).merge(over(120, 300, 50));
    GradientAccumulator b = over(0, 120, 50).merge(over(120, 300, 50));
    assertArrayEquals(a.takeMeanGradient().toFlat(), b.takeMeanGradient().toFlat());
  }

  @Test
  void givenPartials_whenMerged_thenThePartialsAreLeftUnchanged() {
    // The distributed step merges partition gradients that may be cached objects (local mode):
    // merging must neither change them nor share their arrays with the total.
    GradientAccumulator first = over(0, 100, 32);
    GradientAccumulator total = new GradientAccumulator(8, 24).merge(first).merge(over(100, 300, 32));
    total.takeMeanGradient();
    GradientAccumulator untouched = over(0, 100, 32);
    assertEquals(untouched.loss(), first.loss());
    assertArrayEquals(untouched.takeMeanGradient().toFlat(), first.takeMeanGradient().toFlat());
  }

  @Test
  void givenAnAccumulator_whenSerialized_thenRoundTrips() throws Exception {
    GradientAccumulator a = over(0, 50, 64);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    GradientAccumulator b;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      b = (GradientAccumulator) in.readObject();
    }
    assertEquals(a.loss(), b.loss());
    assertArrayEquals(a.takeMeanGradient().toFlat(), b.takeMeanGradient().toFlat());
  }

  @Test
  void givenMismatchedShapes_whenMerged_thenErrorNamesBoth() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new GradientAccumulator(8, 24).merge(new GradientAccumulator(8, 32)));
    assertEquals("cannot merge accumulators of d_in=8, d_sae=32 into d_in=8, d_sae=24", e.getMessage());
  }

  /** The trainer's one-pass mean and norm equal the accumulator's mean and the norm, bit for bit. */
  @Test
  void givenSums_whenMeanTakenInPlaceWithItsNorm_thenTheTwoPassesBitForBit() {
    GradientAccumulator a = over(0, 37, 16);   // 37: a reciprocal that rounds
    GradientAccumulator b = over(0, 37, 16);
    SaeParameters mean = a.takeMeanGradient();
    double norm = org.gsae.core.optim.GradientNorm.sumSquares(mean);
    SaeParameters sums = b.takeSums();
    double fused = org.gsae.core.optim.GradientNorm.meanInPlace(sums, 37);
    assertEquals(Double.doubleToLongBits(norm), Double.doubleToLongBits(fused));
    assertArrayEquals(mean.toFlat(), sums.toFlat(), 0f);
  }

  /** A reused set of sums is zeroed first: the same bits as a fresh accumulator's. */
  @Test
  void givenReusedSums_whenAccumulatedAgain_thenAsAFreshAccumulator() {
    SaeParameters buffer = over(0, 50, 64).takeSums();   // holds another batch's sums
    float[] rows = Arrays.copyOfRange(DATA.data().data(), 100 * 8, 180 * 8);
    GradientAccumulator reused = GradientAccumulator.reusing(buffer).add(P, LOSS, 0.5, rows, 80, 64);
    assertArrayEquals(over(100, 180, 64).takeMeanGradient().toFlat(), reused.takeMeanGradient().toFlat(), 0f);
  }

  @Test
  void givenNoRows_whenAskedForTheMean_thenFails() {
    assertThrows(IllegalStateException.class, () -> new GradientAccumulator(8, 24).takeMeanGradient());
  }

  /** The mean is the sums divided in place: the accumulator refuses any use after it. */
  @Test
  void givenTheMeanTaken_whenUsedAgain_thenFails() {
    GradientAccumulator a = over(0, 50, 64);
    a.takeMeanGradient();
    assertThrows(IllegalStateException.class, a::takeMeanGradient);
    assertThrows(IllegalStateException.class, () -> a.merge(over(50, 60, 64)));
    assertThrows(IllegalStateException.class, () -> over(50, 60, 64).merge(a));
  }

  /** An accumulator of a partition that held none of the batch ships no gradient. */
  @Test
  void givenAnEmptyAccumulator_whenSerializedAndMerged_thenAddsNothing() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new GradientAccumulator(8, 24));
    }
    GradientAccumulator empty;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      empty = (GradientAccumulator) in.readObject();
    }
    float[] alone = over(0, 50, 64).takeMeanGradient().toFlat();
    float[] merged = empty.merge(over(0, 50, 64)).takeMeanGradient().toFlat();
    assertArrayEquals(alone, merged);
  }

}
