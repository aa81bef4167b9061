package org.gsae.testing;

/**
 * The value rule of the tests' hand-made activation stores, so that a test in any module can
 * say which value a reader must return for row {@code g}, element {@code j}.
 */
public final class StoreValues {
  private StoreValues() {}

  /** Element {@code j} of row {@code g}: small multiples of 1/8, exact in float32 and float64. */
  public static float value(long g, int j) {
    return (float) (g * 0.5 - j * 0.125 + 1.0);
  }
}
