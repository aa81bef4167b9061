package org.gsae.core.tensor;

/**
 * The float32 reductions of the optimiser update on {@link VectorOps}' fixed-layout SIMD
 * dot and axpy: the clip norm's sum of squares, decoder row norms, the decoder-parallel
 * projection and the renormalisation. Each sums in float32 lanes in one fixed order (as
 * {@code torch} does for float32 tensors), so results do not depend on the thread count or on
 * whether the JVM has the vector module. The float64 kernels ({@link DoubleKernels}) keep
 * their plain double loops: they are the reference path, not the training path.
 */
final class FloatRows {
  private FloatRows() {}

  /** {@code sum_i a[i]^2} over [from, to). */
  static double sumSquares(float[] a, int from, int to) {
    return VectorOps.dot(a, from, a, from, to - from);
  }

  /** L2 norm of {@code a[base .. base+cols)}. */
  static float rowNorm(float[] a, int base, int cols) {
    return (float) Math.sqrt(VectorOps.dot(a, base, a, base, cols));
  }

  /** Norms of rows [r0, r1) of a [rows, cols] matrix into {@code out[r]}. */
  static void rowNorms(float[] a, int cols, float[] out, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      out[r] = rowNorm(a, r * cols, cols);
    }
  }

  /**
   * For rows [r0, r1): {@code g_r -= (g_r . u_r) u_r} with {@code u_r = w_r / ||w_r||},
   * computed as {@code g_r - ((g_r . w_r) / ||w_r||^2) w_r}.
   */
  static void removeRowComponents(float[] g, float[] w, int cols, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int base = r * cols;
      float norm = rowNorm(w, base, cols);
      float along = VectorOps.dot(g, base, w, base, cols) / norm;
      VectorOps.axpy(-(along / norm), w, base, g, base, cols);
    }
  }

  /** Rows [r0, r1) of {@code w} scaled to unit L2 norm, in place. */
  static void normalizeRows(float[] w, int cols, int r0, int r1) {
    for (int r = r0; r < r1; r++) {
      int base = r * cols;
      float inv = 1f / rowNorm(w, base, cols);
      for (int c = 0; c < cols; c++) {
        w[base + c] *= inv;
      }
    }
  }
}
