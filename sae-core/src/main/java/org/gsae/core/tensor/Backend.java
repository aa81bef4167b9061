package org.gsae.core.tensor;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Process-wide facts and settings of the numeric backend: BLAS thread count, resident memory,
 * and a probe of the machine's SGEMM throughput (the floor every training step is
 * measured against, DESIGN §8).
 */
public final class Backend {
  private Backend() {}

  /**
   * Sets the BLAS/OpenMP thread count of this JVM (OMP_NUM_THREADS does the same at start).
   * {@code Nd4j.getEnvironment().setMaxThreads} does not (shared/notes/stack.md).
   */
  public static void setBlasThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    Nd4j.getBackend();   // NativeOpsHolder fails if touched before ND4J is initialised
    Nd4j.factory().blas().setMaxThreads(threads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
  }

  /** Resident set size of the process as JavaCPP reads it (heap + native + code). */
  public static long physicalBytes() {
    return Pointer.physicalBytes();
  }

  /**
   * Median seconds of {@code reps} float32 GEMMs {@code [rows, k] @ [k, cols]} into a
   * preallocated output, after {@code warmup} untimed ones: the best this BLAS does on the
   * encoder shape with the current thread count.
   */
  public static double sgemmSeconds(int rows, int k, int cols, int warmup, int reps) {
    INDArray a = Nd4j.rand(DataType.FLOAT, rows, k);
    INDArray b = Nd4j.rand(DataType.FLOAT, k, cols);
    INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
    double[] t = new double[reps];
    for (int i = 0; i < warmup + reps; i++) {
      long t0 = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      if (i >= warmup) {
        t[i - warmup] = (System.nanoTime() - t0) / 1e9;
      }
    }
    a.close();
    b.close();
    c.close();
    java.util.Arrays.sort(t);
    return t[reps / 2];
  }
}
