package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FeatureStatsTest {
  /** 5 rows x 4 features (gated-sae-tf's test codes): feature 0 always on, feature 3 dead. */
  private static final float[] CODES = {
      2, 0, 1, 0,
      3, 1, 0, 0,
      1, 0, 0, 0,
      4, 2, 0, 0,
      2, 0, 1, 0};

  @Test
  void givenFiveRows_thenCountsSumsMaximaAndFrequenciesAreByHand() {
    FeatureStats s = new FeatureStats(4).add(CODES, 5);
    assertEquals(5, s.rows());
    // fires: f0 every row = 5; f1 rows 1,3 = 2; f2 rows 0,4 = 2; f3 none
    assertArrayEquals(new long[] {5, 2, 2, 0}, s.fireCounts());
    // sums: f0 2+3+1+4+2 = 12; f1 1+2 = 3; f2 1+1 = 2; f3 0
    assertArrayEquals(new double[] {12, 3, 2, 0}, s.activationSums());
    assertArrayEquals(new float[] {4, 2, 1, 0}, s.maxActivations());
    // frequency = count / 5
    assertArrayEquals(new double[] {1.0, 0.4, 0.4, 0.0}, s.frequencies(), 1e-15);
    // log10(f + 1e-10); dead -> log10(1e-10) = -10
    assertArrayEquals(new double[] {Math.log10(1 + 1e-10), Math.log10(0.4 + 1e-10),
        Math.log10(0.4 + 1e-10), -10.0}, s.logFrequencies(), 1e-12);
    // mean over active rows: 12/5 = 2.4, 3/2 = 1.5, 2/2 = 1, dead -> 0
    assertArrayEquals(new double[] {2.4, 1.5, 1.0, 0.0}, s.meanActiveActivations(), 1e-15);
    assertTrue(s.dead(3));
    assertFalse(s.dead(0));
    assertEquals(1, s.deadCount());
    assertEquals(3, s.aliveCount());
    assertEquals(0.25, s.deadFeatureRatio());
    assertEquals(0.75, s.aliveFraction());
  }

  @Test
  void givenFiveRows_thenTopKShareFollowsGatedSaeTf() {
    FeatureStats s = new FeatureStats(4).add(CODES, 5);
    // per-feature totals sorted descending: 12, 3, 2, 0; total 17
    // k=1: 12/17; k=2: (12+3)/17 = 15/17; k=3 and k=20 (clamped to 4): 17/17 = 1
    assertEquals(12.0 / 17, s.topKShare(1), 1e-15);
    assertEquals(15.0 / 17, s.topKShare(2), 1e-15);
    assertEquals(1.0, s.topKShare(3), 1e-15);
    assertEquals(1.0, s.topKShare(FeatureStats.DEFAULT_TOPK_SHARE_K), 1e-15);
    // nothing fired: gated-sae-tf reports 0
    assertEquals(0.0, new FeatureStats(4).add(new float[8], 2).topKShare(2));
    assertThrows(IllegalArgumentException.class, () -> s.topKShare(0));
  }

  @Test
  void givenMismatchedDims_whenMerged_thenTheMessageNamesBothValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureStats(4).merge(new FeatureStats(6)));
    assertTrue(e.getMessage().contains("d_sae=6") && e.getMessage().contains("d_sae=4"), e.getMessage());
  }

  @Test
  void givenAShortBlock_thenTheMessageNamesTheLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureStats(4).add(new float[7], 2));
    assertTrue(e.getMessage().contains("7") && e.getMessage().contains("8"), e.getMessage());
  }
}
