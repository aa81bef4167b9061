package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gsae.core.metrics.TopKExamples.Example;
import org.junit.jupiter.api.Test;

class TopKExamplesTest {
  /** 5 rows x 2 features with row ids 10, 11, 12, 13, 5. */
  private static final float[] ACTS = {
      1.0f, 0.0f,   // id 10
      3.0f, 0.5f,   // id 11
      3.0f, 0.0f,   // id 12
      2.0f, 0.5f,   // id 13
      0.0f, 0.5f};  // id 5
  private static final long[] IDS = {10, 11, 12, 13, 5};

  @Test
  void givenFiveRows_thenTheTopTwoPerFeatureAreByHand() {
    TopKExamples top = new TopKExamples(2, 2).add(ACTS, IDS, 5);
    // feature 0 candidates (3,11) (3,12) (2,13) (1,10): the two 3s, tie -> smaller id first
    assertEquals(List.of(new Example(11, 3f), new Example(12, 3f)), top.examples(0));
    // feature 1 candidates (0.5,11) (0.5,13) (0.5,5): all tied -> ids 5, 11
    assertEquals(List.of(new Example(5, 0.5f), new Example(11, 0.5f)), top.examples(1));
    assertEquals(2, top.count(0));
  }

  @Test
  void givenTiedActivations_whenBlocksArriveInAnyOrder_thenRanksFollowRowIds() {
    // The same five rows as one block, one row per block in reverse order, and merged
    // single-row aggregates in reverse order, must all keep the same ranked lists.
    TopKExamples oneBlock = new TopKExamples(2, 3).add(ACTS, IDS, 5);
    TopKExamples reversedAdds = new TopKExamples(2, 3);
    TopKExamples reversedMerges = new TopKExamples(2, 3);
    for (int r = 4; r >= 0; r--) {
      float[] row = {ACTS[2 * r], ACTS[2 * r + 1]};
      reversedAdds.add(row, new long[] {IDS[r]}, 1);
      reversedMerges.merge(new TopKExamples(2, 3).add(row, new long[] {IDS[r]}, 1));
    }
    // feature 0 top 3: (3,11), (3,12), (2,13); feature 1: (0.5,5), (0.5,11), (0.5,13)
    List<Example> f0 = List.of(new Example(11, 3f), new Example(12, 3f), new Example(13, 2f));
    List<Example> f1 = List.of(new Example(5, 0.5f), new Example(11, 0.5f), new Example(13, 0.5f));
    for (TopKExamples t : List.of(oneBlock, reversedAdds, reversedMerges)) {
      assertEquals(f0, t.examples(0));
      assertEquals(f1, t.examples(1));
    }
  }

  @Test
  void givenAFeatureThatNeverFires_thenItsListIsEmpty() {
    TopKExamples top = new TopKExamples(3, 4).add(new float[] {1, 0, 0, 2, 0, 0}, new long[] {0, 1}, 2);
    assertEquals(List.of(), top.examples(1));
    assertEquals(List.of(new Example(1, 2f), new Example(0, 1f)), top.examples(0));
    assertThrows(IllegalArgumentException.class, () -> top.examples(3));
  }

  @Test
  void givenAnAggregate_whenMergedWithItself_thenEachPairAppearsTwice() {
    TopKExamples top = new TopKExamples(1, 3).add(new float[] {1, 2}, new long[] {7, 8}, 2);
    top.merge(top);
    // pairs (2,8),(2,8),(1,7),(1,7): top 3 = (2,8),(2,8),(1,7)
    assertEquals(List.of(new Example(8, 2f), new Example(8, 2f), new Example(7, 1f)), top.examples(0));
  }

  @Test
  void givenMismatchedDims_whenMerged_thenTheMessageNamesBothValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TopKExamples(8, 5).merge(new TopKExamples(9, 5)));
    assertTrue(e.getMessage().contains("d_sae=9") && e.getMessage().contains("d_sae=8"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new TopKExamples(8, 5).merge(new TopKExamples(8, 20)));
    assertTrue(e.getMessage().contains("k=20") && e.getMessage().contains("k=5"), e.getMessage());
  }

  @Test
  void givenTooFewRowIds_thenTheMessageNamesTheLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TopKExamples(2, 2).add(new float[4], new long[1], 2));
    assertTrue(e.getMessage().contains("rowIds has 1 values"), e.getMessage());
  }
}
