package org.gsae.spark.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportDataTest {

  @Test
  void densityHistogramCountsAliveFeaturesByQuarterDecadeAndDeadApart() {
    // log10: 0 (f=1), -1, -1 (twice 0.1), -2.5 (0.00316...), and two dead.
    double[] f = {1.0, 0.1, 0.1, Math.pow(10, -2.5), 0, 0};
    Map<String, Object> h = ReportData.densityHistogram(f);
    // From the floor of the rarest alive decade (-3) to 0: 12 bins of 0.25.
    double[] lower = (double[]) h.get("lower");
    assertEquals(12, lower.length);
    assertEquals(-3.0, lower[0]);
    assertEquals(-0.25, lower[11]);
    long[] count = (long[]) h.get("count");
    long[] expected = new long[12];
    expected[2] = 1;  // -2.5 is the lower edge of bin (−2.5 − (−3)) × 4 = 2
    expected[8] = 2;  // -1 -> bin 8
    expected[11] = 1; // 0 (frequency 1) is clamped into the last bin
    assertArrayEquals(expected, count);
    assertEquals(2, h.get("dead"));
    assertEquals(0.25, h.get("width"));
  }

  @Test
  void densityHistogramOfOnlyDeadFeaturesHasOneEmptyBin() {
    Map<String, Object> h = ReportData.densityHistogram(new double[] {0, 0, 0});
    assertArrayEquals(new long[1], (long[]) h.get("count"));
    assertEquals(3, h.get("dead"));
    assertThrows(IllegalArgumentException.class, () -> ReportData.densityHistogram(new double[] {1.5}));
  }

  @Test
  void curvesAreThinnedToAtMostMaxPointsKeepingTheLast() {
    assertArrayEquals(new int[] {0, 1, 2}, ReportData.thinned(3, 5));
    // 10 rows, at most 4 points: stride ceil(10 / 3) = 4 -> 0, 4, 8, then the last, 9.
    assertArrayEquals(new int[] {0, 4, 8, 9}, ReportData.thinned(10, 4));
    int[] big = ReportData.thinned(100_000, ReportData.MAX_CURVE_POINTS);
    assertEquals(99_999, big[big.length - 1]);
    assertEquals(true, big.length <= ReportData.MAX_CURVE_POINTS, "length " + big.length);
    assertEquals(0, ReportData.thinned(0, 5).length);
  }

  @Test
  void chunksHold256Features() {
    assertEquals(0, ReportData.chunkOf(255));
    assertEquals(1, ReportData.chunkOf(256));
    assertEquals(96, ReportData.chunks(24_576));
    assertEquals(97, ReportData.chunks(24_577));
    assertEquals("chunk-0003", ReportRun.chunkName(3));
  }

  @Test
  void galleryTakesTheMostFrequentAliveFeaturesAndTagsByLabelPurity() {
    long[] fires = {5, 0, 9, 5, 1};
    assertEquals(List.of(2, 0, 3), GalleryChoice.mostFrequentAlive(fires, 3));
    assertEquals(List.of(2, 0, 3, 4), GalleryChoice.mostFrequentAlive(fires, 10));

    GalleryChoice.Purity mono = GalleryChoice.purity(Arrays.asList("bag", "bag", "bag", "bag", "coat"));
    assertEquals("bag", mono.label());
    assertEquals(0.8, mono.purity(), 0);
    assertEquals("MONO", mono.tag());
    GalleryChoice.Purity poly = GalleryChoice.purity(Arrays.asList(1, 2, 1, 2, 3));
    assertEquals(1, poly.label(), "the first of equally common labels");
    assertEquals(0.4, poly.purity(), 0);
    assertEquals("POLY", poly.tag());
    // Unlabelled inputs do not count; none labelled: no tag.
    assertEquals("MONO", GalleryChoice.purity(Arrays.asList(7, null, 7)).tag());
    assertNull(GalleryChoice.purity(Arrays.asList(null, null)).tag());
  }
}
