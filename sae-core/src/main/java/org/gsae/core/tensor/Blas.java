package org.gsae.core.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through ND4J's OpenBLAS ({@code Nd4j.gemm} into a preallocated output,
 * which reaches the machine's SGEMM peak; see shared/notes/stack.md). Operands are copied
 * from and to Java arrays; the copies are O(size) against O(size * k) for the product.
 */
final class Blas {
  private Blas() {}

  /** {@code op(A) @ op(B)} for row-major A [ar, ac] and B [br, bc]; returns the row-major result. */
  static float[] sgemm(float[] a, int ar, int ac, boolean ta, float[] b, int br, int bc, boolean tb) {
    INDArray x = Nd4j.createFromArray(a).reshape('c', new long[] {ar, ac});
    INDArray y = Nd4j.createFromArray(b).reshape('c', new long[] {br, bc});
    INDArray out = Nd4j.gemm(x, y, ta, tb);
    return out.reshape('c', new long[] {out.length()}).toFloatVector();
  }

  /** Double-precision {@link #sgemm}. */
  static double[] dgemm(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
    INDArray x = Nd4j.createFromArray(a).reshape('c', new long[] {ar, ac});
    INDArray y = Nd4j.createFromArray(b).reshape('c', new long[] {br, bc});
    INDArray out = Nd4j.gemm(x, y, ta, tb);
    return out.reshape('c', new long[] {out.length()}).toDoubleVector();
  }
}
