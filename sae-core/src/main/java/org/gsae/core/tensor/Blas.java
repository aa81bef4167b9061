package org.gsae.core.tensor;

import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products through ND4J's OpenBLAS ({@code Nd4j.gemm} into a preallocated output,
 * which reaches the machine's SGEMM peak; docs/performance.md, "Backend facts"). Operands are
 * copied between Java arrays and native buffers in bulk through the buffers' NIO views (ND4J's own
 * {@code createFromArray} copies element by element, which costs more than a small GEMM).
 */
final class Blas {
  private Blas() {}

  /** {@code op(A) @ op(B)} for row-major A [ar, ac] and B [br, bc]; returns the row-major result. */
  static float[] sgemm(float[] a, int ar, int ac, boolean ta, float[] b, int br, int bc, boolean tb) {
    INDArray x = Nd4j.createUninitialized(DataType.FLOAT, new long[] {ar, ac}, 'c');
    INDArray y = Nd4j.createUninitialized(DataType.FLOAT, new long[] {br, bc}, 'c');
    x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(a);
    y.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(b);
    INDArray out = Nd4j.createUninitialized(DataType.FLOAT,
        new long[] {ta ? ac : ar, tb ? br : bc}, 'c');
    Nd4j.gemm(x, y, out, ta, tb, 1.0, 0.0);
    float[] r = new float[(int) out.length()];
    out.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().get(r);
    return r;
  }

  /** Double-precision {@link #sgemm}. */
  static double[] dgemm(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
    INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {ar, ac}, 'c');
    INDArray y = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {br, bc}, 'c');
    x.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().put(a);
    y.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().put(b);
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE,
        new long[] {ta ? ac : ar, tb ? br : bc}, 'c');
    Nd4j.gemm(x, y, out, ta, tb, 1.0, 0.0);
    double[] r = new double[(int) out.length()];
    out.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(r);
    return r;
  }
}
