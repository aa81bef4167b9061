package org.gsae.spark.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A measurable proxy of "the features read as coherent": the top-token share of a feature is
 * the fraction of its top examples that are its most common token. Compared with the same
 * share of as many random sets of store tokens, it says how much more often than chance a
 * feature's strongest examples agree.
 *
 * @param features     features measured (alive, with a full set of top examples)
 * @param featureShare mean top-token share of the features
 * @param randomShare  mean top-token share of random sets of the same size drawn from the store
 */
public record TokenCoherence(int features, double featureShare, double randomShare) {

  /** Most common token's count / size. */
  static double topTokenShare(List<String> tokens) {
    Map<String, Integer> counts = new HashMap<>();
    int best = 0;
    for (String t : tokens) {
      best = Math.max(best, counts.merge(t, 1, Integer::sum));
    }
    return (double) best / tokens.size();
  }

  /**
   * @param topTokens the top-example tokens of each feature measured (each list of size k)
   * @param store     every token of the store
   * @param seed      seed of the random sets
   */
  static TokenCoherence of(List<List<String>> topTokens, List<String> store, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double features = 0;
    double random = 0;
    for (List<String> top : topTokens) {
      features += topTokenShare(top);
      String[] sample = new String[top.size()];
      for (int i = 0; i < sample.length; i++) {
        sample[i] = store.get(r.nextInt(store.size()));
      }
      random += topTokenShare(List.of(sample));
    }
    int n = topTokens.size();
    return new TokenCoherence(n, features / n, random / n);
  }
}
