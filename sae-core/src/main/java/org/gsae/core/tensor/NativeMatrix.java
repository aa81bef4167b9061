package org.gsae.core.tensor;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A row-major float32 matrix in native memory, allocated once and reused, for GEMMs that must
 * run at the BLAS peak ({@code Nd4j.gemm} into a preallocated output; a fresh 100 MB array
 * costs ~55 ms; docs/performance.md, "Backend facts"). Values move in and out in bulk through the
 * buffer's NIO view. Not thread-safe.
 */
public final class NativeMatrix implements AutoCloseable {
  private final int rows;
  private final int cols;
  private final INDArray a;
  private final FloatBuffer view;

  /** An uninitialised [rows, cols] matrix; {@link #zero} it if it accumulates. */
  public NativeMatrix(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
    this.a = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
    this.view = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Sets every value to 0. */
  public NativeMatrix zero() {
    a.assign(0f);
    return this;
  }

  /** Copies {@code count * cols} values from {@code src[srcOff..]} into rows [0, count). */
  public void put(float[] src, int srcOff, int count) {
    view.put(0, src, srcOff, count * cols);
  }

  /** Copies rows [from, from + count) into {@code dst[dstOff..]}. */
  public void get(int from, int count, float[] dst, int dstOff) {
    view.get(from * cols, dst, dstOff, count * cols);
  }

  /**
   * {@code c = op(a) @ op(b) + beta * c}, with {@code op} the transpose where asked.
   *
   * @param beta 0 to overwrite {@code c}, 1 to accumulate into it
   */
  public static void gemm(NativeMatrix a, boolean ta, NativeMatrix b, boolean tb, NativeMatrix c,
      double beta) {
    Nd4j.gemm(a.a, b.a, c.a, ta, tb, 1.0, beta);
  }

  @Override
  public void close() {
    a.close();
  }
}
