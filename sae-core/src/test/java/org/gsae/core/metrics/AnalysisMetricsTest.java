package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.gsae.core.metrics.TopKExamples.Example;
import org.junit.jupiter.api.Test;

class AnalysisMetricsTest {
  // 3 rows, d_in = 2, d_sae = 2, row ids 100, 101, 102.
  private static final float[] X = {1, 0, 0, 1, 2, 2};
  private static final float[] ACTS = {1, 0, 0, 2, 3, 0};
  private static final float[] X_HAT = {1, 0, 0, 0, 2, 2};
  private static final long[] IDS = {100, 101, 102};

  @Test
  void givenOneBlock_thenEveryPartSeesIt() {
    AnalysisMetrics a = new AnalysisMetrics(2, 2, 2).add(X, ACTS, X_HAT, IDS, 3);
    // L0: 1, 1, 1; feature 0 fires on rows 100 (1) and 102 (3); feature 1 on row 101 (2)
    assertArrayEquals(new long[] {0, 3, 0}, a.l0Histogram().histogram());
    assertArrayEquals(new long[] {2, 1}, a.featureStats().fireCounts());
    assertEquals(List.of(new Example(102, 3f), new Example(100, 1f)), a.topKExamples().examples(0));
    // only row 101 is off: (0,1) vs (0,0) -> SSE 1
    assertEquals(1.0, a.reconstruction().sumSquaredError(), 1e-15);
  }

  @Test
  void givenAnAggregate_whenJavaSerialised_thenTheCopyHasTheSameResults() throws Exception {
    AnalysisMetrics a = new AnalysisMetrics(2, 2, 2).add(X, ACTS, X_HAT, IDS, 3);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    AnalysisMetrics b;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      b = (AnalysisMetrics) in.readObject();
    }
    assertArrayEquals(a.l0Histogram().histogram(), b.l0Histogram().histogram());
    assertArrayEquals(a.featureStats().activationSums(), b.featureStats().activationSums());
    assertArrayEquals(a.featureStats().maxActivations(), b.featureStats().maxActivations());
    assertEquals(a.topKExamples().allExamples(), b.topKExamples().allExamples());
    assertEquals(a.reconstruction().result(), b.reconstruction().result());
    // and the copy still merges: doubling every count
    b.merge(a);
    assertArrayEquals(new long[] {0, 6, 0}, b.l0Histogram().histogram());
  }

  @Test
  void givenMismatchedDims_whenMerged_thenNothingChangesAndTheMessageNamesBothValues() {
    AnalysisMetrics a = new AnalysisMetrics(2, 2, 2).add(X, ACTS, X_HAT, IDS, 3);
    AnalysisMetrics other = new AnalysisMetrics(3, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(other));
    assertTrue(e.getMessage().contains("d_in=3") && e.getMessage().contains("d_in=2"), e.getMessage());
    assertEquals(3, a.featureStats().rows());
    assertEquals(3, a.l0Histogram().rows());
  }

  @Test
  void givenABadBlock_whenAdded_thenNoPartChanges() {
    AnalysisMetrics a = new AnalysisMetrics(2, 2, 2);
    // x_hat is one value short, detected before any part is updated
    assertThrows(IllegalArgumentException.class,
        () -> a.add(X, ACTS, new float[5], IDS, 3));
    assertEquals(0, a.featureStats().rows());
    assertEquals(0, a.l0Histogram().rows());
    assertEquals(0, a.topKExamples().count(0));
  }
}
