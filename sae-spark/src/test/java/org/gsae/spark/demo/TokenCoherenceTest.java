package org.gsae.spark.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenCoherenceTest {
  @Test
  void theShareIsTheMostCommonTokensCountOverTheSize() {
    assertEquals(0.5, TokenCoherence.topTokenShare(List.of("a", "b", "a", "c")));
    assertEquals(1.0, TokenCoherence.topTokenShare(List.of("x", "x")));
    assertEquals(0.25, TokenCoherence.topTokenShare(List.of("a", "b", "c", "d")));
  }

  @Test
  void featuresAreComparedWithRandomSetsOfTheStore() {
    // A store of one repeated token: every random set agrees fully.
    TokenCoherence c = TokenCoherence.of(List.of(List.of("a", "b"), List.of("c", "c")),
        Collections.nCopies(10, "t"), 1);
    assertEquals(2, c.features());
    assertEquals(0.75, c.featureShare(), 1e-12); // (0.5 + 1.0) / 2
    assertEquals(1.0, c.randomShare(), 1e-12);
  }
}
