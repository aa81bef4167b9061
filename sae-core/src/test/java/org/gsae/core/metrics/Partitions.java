package org.gsae.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BinaryOperator;

/** Random ways of cutting rows into blocks and combining partial aggregates, for properties. */
final class Partitions {
  private Partitions() {}

  /**
   * Block boundaries {@code 0 = c[0] <= c[1] <= ... <= c[b] = rows}, b >= 1; empty blocks happen.
   */
  static int[] cuts(int rows, Random rnd) {
    int blocks = 1 + rnd.nextInt(rows + 2);
    int[] c = new int[blocks + 1];
    for (int i = 1; i < blocks; i++) {
      c[i] = rnd.nextInt(rows + 1);
    }
    c[blocks] = rows;
    Arrays.sort(c, 1, blocks);
    return c;
  }

  /**
   * Merges the parts pairwise in a random order and a random tree shape: repeatedly merges a
   * random part into another random part until one is left.
   */
  static <T> T mergeRandomTree(List<T> parts, BinaryOperator<T> merge, Random rnd) {
    List<T> live = new ArrayList<>(parts);
    while (live.size() > 1) {
      int i = rnd.nextInt(live.size());
      int j = rnd.nextInt(live.size() - 1);
      if (j >= i) {
        j++;
      }
      live.set(i, merge.apply(live.get(i), live.get(j)));
      live.remove(j);
    }
    return live.get(0);
  }

  /** Rows {@code [from, to)} of a row-major [rows, width] array. */
  static float[] rows(float[] data, int width, int from, int to) {
    return Arrays.copyOfRange(data, from * width, to * width);
  }

  /** Feature activations [rows, m]: zero with probability pZero, else a value from levels. */
  static float[] activations(int rows, int m, double pZero, float[] levels, Random rnd) {
    float[] a = new float[rows * m];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextDouble() < pZero ? 0f : levels[rnd.nextInt(levels.length)];
    }
    return a;
  }

  /** Feature activations [rows, m]: zero with probability pZero, else uniform in (0, 10). */
  static float[] activations(int rows, int m, double pZero, Random rnd) {
    float[] a = new float[rows * m];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextDouble() < pZero ? 0f : (float) (10 * rnd.nextDouble()) + Float.MIN_NORMAL;
    }
    return a;
  }

  /**
   * Asserts {@code |expected - actual| <= 1e-9 * max(1, |expected|, |actual|)}: relative for
   * the sums these tests produce (all of order 1 or more), NaN only equal to NaN.
   */
  static void assertClose(double expected, double actual, String what) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      assertEquals(expected, actual, what + ": NaN must match NaN");
      return;
    }
    double scale = Math.max(1.0, Math.max(Math.abs(expected), Math.abs(actual)));
    assertTrue(Math.abs(expected - actual) <= 1e-9 * scale,
        what + ": expected " + expected + " but got " + actual);
  }
}
