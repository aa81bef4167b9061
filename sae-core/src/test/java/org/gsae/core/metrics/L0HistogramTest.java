package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class L0HistogramTest {

  @Test
  void givenSixRows_thenHistogramMeanAndMedianAreByHand() {
    // d_sae = 3; L0 counts entries > 0:
    // [0,1,2] -> 2; [0,0,0] -> 0; [5,0,0] -> 1; [1,1,1] -> 3; [0,0.5,0] -> 1; [-1,0,2] -> 1
    float[] acts = {0, 1, 2, 0, 0, 0, 5, 0, 0, 1, 1, 1, 0, 0.5f, 0, -1, 0, 2};
    L0Histogram h = new L0Histogram(3).add(acts, 6);
    // histogram over L0 = 0,1,2,3: {1, 3, 1, 1}
    assertArrayEquals(new long[] {1, 3, 1, 1}, h.histogram());
    assertEquals(6, h.rows());
    // mean = (0*1 + 1*3 + 2*1 + 3*1) / 6 = 8/6
    assertEquals(8.0 / 6.0, h.mean(), 1e-15);
    // sorted 0,1,1,1,2,3: middle two are 1 and 1 -> 1
    assertEquals(1.0, h.median());
  }

  @Test
  void givenAnEvenCountWithDifferentMiddles_thenTheMedianIsTheirAverage() {
    // sorted L0 0,1,2,3: numpy.median = (1 + 2) / 2 = 1.5
    L0Histogram h = new L0Histogram(3).addL0(new int[] {3, 0, 2, 1}, 4);
    assertEquals(1.5, h.median());
    assertEquals(1.5, h.mean());
    // odd count: add a 3 -> 0,1,2,3,3: median 2, mean 9/5
    h.addL0(new int[] {3}, 1);
    assertEquals(2.0, h.median());
    assertEquals(1.8, h.mean(), 1e-15);
  }

  @Test
  void givenNoRows_thenMeanAndMedianAreNaN() {
    L0Histogram h = new L0Histogram(4);
    assertTrue(Double.isNaN(h.mean()));
    assertTrue(Double.isNaN(h.median()));
  }

  @Test
  void givenAnL0OutOfRange_thenTheMessageNamesTheRowAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new L0Histogram(3).addL0(new int[] {1, 4}, 2));
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("L0=4"), e.getMessage());
  }

  @Test
  void givenMismatchedDims_whenMerged_thenTheMessageNamesBothValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new L0Histogram(5).merge(new L0Histogram(7)));
    assertTrue(e.getMessage().contains("d_sae=7") && e.getMessage().contains("d_sae=5"), e.getMessage());
  }
}
