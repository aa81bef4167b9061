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
  /** Values per part of a parallel copy in or out (one thread moved ~6.5 GB/s). */
  private static final int COPY_GRAIN = 1 << 20;

  private final int rows;
  private final int cols;
  private final INDArray a;
  private final FloatBuffer view;   // the whole buffer (of the matrix this one is rows of)
  private final int offset;         // where this matrix starts in it
  private final boolean owner;      // false for a view of another matrix's rows

  /** An uninitialised [rows, cols] matrix; {@link #zero} it if it accumulates. */
  public NativeMatrix(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
    this.a = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
    this.view = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    this.offset = 0;
    this.owner = true;
  }

  private NativeMatrix(NativeMatrix of, int from, int count) {
    this.rows = count;
    this.cols = of.cols;
    this.offset = of.offset + from * cols;
    this.a = Nd4j.create(of.a.data(), new long[] {count, cols}, new long[] {cols, 1}, offset, 'c');
    this.view = of.view;
    this.owner = false;
  }

  /**
   * Rows [from, from + count) as a matrix of their own, sharing this one's memory (for a GEMM
   * over some of the rows of another's output); closing it frees nothing.
   */
  public NativeMatrix rows(int from, int count) {
    if (from < 0 || count < 1 || from + count > rows) {
      throw new IllegalArgumentException("rows [" + from + ", " + (from + count) + ") of a matrix of "
          + rows);
    }
    return new NativeMatrix(this, from, count);
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
    Tensor.inParts(count * cols, COPY_GRAIN,
        (from, to) -> view.put(offset + from, src, srcOff + from, to - from));
  }

  /** Copies rows [from, from + count) into {@code dst[dstOff..]}. */
  public void get(int from, int count, float[] dst, int dstOff) {
    int start = offset + from * cols;
    Tensor.inParts(count * cols, COPY_GRAIN,
        (a, b) -> view.get(start + a, dst, dstOff + a, b - a));
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
    if (owner) {
      a.close();
    }
  }
}
