package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void givenHandWorkedPairs_whenMeasured_thenTheLevenshteinDistanceIsExact() {
    assertEquals(3, Suggestions.distance("kitten", "sitting"));
    assertEquals(2, Suggestions.distance("flaw", "lawn"));
    assertEquals(0, Suggestions.distance("", ""));
    assertEquals(4, Suggestions.distance("", "abcd"));
    assertEquals(1, Suggestions.distance("train.step", "train.steps"));
  }

  @Property(tries = 200)
  void distanceIsASymmetricMetricBoundedByTheLongerLength(
      @ForAll @StringLength(max = 12) String a, @ForAll @StringLength(max = 12) String b,
      @ForAll @StringLength(max = 12) String c) {
    int ab = Suggestions.distance(a, b);
    assertEquals(ab, Suggestions.distance(b, a));
    assertEquals(ab == 0, a.equals(b));
    assertTrue(ab <= Math.max(a.length(), b.length()));
    assertTrue(ab >= Math.abs(a.length() - b.length()));
    assertTrue(Suggestions.distance(a, c) <= ab + Suggestions.distance(b, c), "triangle");
  }

  @Test
  void givenUnknownKeys_whenAskedForTheClosest_thenPlausibleKeysOnly() {
    assertEquals(Optional.of("train.batch_size"),
        Suggestions.closest("train.bacth_size", ConfigKeys.ALL));
    assertEquals(Optional.of("analyze.top_k"), Suggestions.closest("train.top_k", ConfigKeys.ALL));
    assertEquals(Optional.of("input.on_invalid"),
        Suggestions.closest("input.oninvalid", ConfigKeys.ALL));
    assertEquals(Optional.empty(), Suggestions.closest("zzz.qqq", ConfigKeys.ALL));
  }
}
