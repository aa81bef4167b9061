package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActivationHistogramsTest {

  @Test
  void binsAreEighthsOfADecadeFromTenToTheMinusFour() {
    assertEquals(64, ActivationHistograms.BINS);
    // 10^0 is the lower edge of bin (0 - (-4)) * 8 = 32; just below it is bin 31.
    assertEquals(32, ActivationHistograms.bin(1f));
    assertEquals(31, ActivationHistograms.bin(Math.nextDown(1f)));
    assertEquals(40, ActivationHistograms.bin(10f));
    // log10(3.16) = 0.4997 -> 32 + 3.998; log10(3.17) = 0.5011 -> 32 + 4.009.
    assertEquals(35, ActivationHistograms.bin(3.16f));
    assertEquals(36, ActivationHistograms.bin(3.17f));
    // Below and above the grid: the edge bins.
    assertEquals(0, ActivationHistograms.bin(1e-7f));
    assertEquals(0, ActivationHistograms.bin(Float.MIN_VALUE));
    assertEquals(63, ActivationHistograms.bin(1e9f));
    assertEquals(63, ActivationHistograms.bin(Float.POSITIVE_INFINITY));
    float[] edges = ActivationHistograms.binEdges();
    assertEquals(65, edges.length);
    assertEquals(1e-4f, edges[0], 1e-10f);
    assertEquals(1e4f, edges[64], 1e-2f);
    for (int b = 0; b < 64; b++) {
      assertEquals(b, ActivationHistograms.bin(edges[b]), "lower edge of bin " + b);
    }
  }

  @Test
  void countsOnlyActiveEntriesPerFeatureAndMerges() {
    // 3 rows x 2 features; zeros, negatives and NaN are inactive.
    float[] a = {1f, 0f, 10f, -1f, 1.5f, Float.NaN};
    ActivationHistograms h = new ActivationHistograms(2).add(a, 3);
    long[] f0 = new long[64];
    f0[32] = 1; // 1.0
    f0[40] = 1; // 10
    f0[33]++;   // log10(1.5) = 0.176 -> 32 + 1.41
    assertArrayEquals(f0, h.histogram(0));
    assertArrayEquals(new long[64], h.histogram(1));

    ActivationHistograms other = new ActivationHistograms(2).add(new float[] {0f, 1f}, 1);
    h.merge(other);
    long[] f1 = new long[64];
    f1[32] = 1;
    assertArrayEquals(f1, h.histogram(1));
    assertArrayEquals(f0, h.histogram(0));
  }

  @Test
  void refusesOtherWidthsAndFeatures() {
    ActivationHistograms h = new ActivationHistograms(3);
    assertThrows(IllegalArgumentException.class, () -> h.merge(new ActivationHistograms(2)));
    assertThrows(IllegalArgumentException.class, () -> h.histogram(3));
    assertThrows(IllegalArgumentException.class, () -> h.add(new float[5], 2));
  }
}
