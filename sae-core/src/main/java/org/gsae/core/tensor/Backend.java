package org.gsae.core.tensor;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Process-wide facts and settings of the numeric backend: BLAS thread count, resident memory,
 * and a probe of the machine's SGEMM throughput (the floor every training step is
 * measured against, docs/architecture.md §8).
 */
public final class Backend {
  private Backend() {}

  /**
   * Sets the BLAS/OpenMP thread count of this JVM (OMP_NUM_THREADS does the same at start);
   * a no-op when this method set the same count last. {@code Nd4j.getEnvironment().setMaxThreads}
   * does not set it (docs/performance.md, "Backend facts").
   */
  public static synchronized void setBlasThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (threads == blasThreads) {   // the calls below take 0.3-0.6 ms even when nothing changes
      return;
    }
    Nd4j.getBackend();   // NativeOpsHolder fails if touched before ND4J is initialised
    Nd4j.factory().blas().setMaxThreads(threads);
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    blasThreads = threads;
  }

  private static int blasThreads;   // as last set here; 0 before

  /** Resident set size of the process as JavaCPP reads it (heap + native + code). */
  public static long physicalBytes() {
    return Pointer.physicalBytes();
  }
}
