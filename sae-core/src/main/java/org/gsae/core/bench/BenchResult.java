package org.gsae.core.bench;

import org.gsae.core.tensor.VectorOps;

/**
 * What a benchmark measured.
 *
 * @param what            "core" or "spark local[N] x P partitions"
 * @param spec            the shape and settings
 * @param medianSeconds   median wall time of one step
 * @param tokensPerSecond batch / median step time
 * @param gflops          dense-floor FLOPs (2 B n m) / median step time
 * @param l0              measured mean L0 of the timed steps
 * @param gemmSeconds     median time of one plain SGEMM [B, n] @ [n, m] with the same threads (NaN if not measured)
 * @param peakHeapBytes   peak Java heap used during the timed steps
 * @param peakNativeBytes peak resident set size of the process during the timed steps (heap, ND4J's native buffers, code)
 */
public record BenchResult(String what, BenchSpec spec, double medianSeconds, double tokensPerSecond,
    double gflops, double l0, double gemmSeconds, long peakHeapBytes, long peakNativeBytes) {

  /** Tokens/s the encoder SGEMM alone would allow. */
  public double floorTokensPerSecond() {
    return spec.batch() / gemmSeconds;
  }

  /** Fraction of the GEMM floor reached. */
  public double fractionOfFloor() {
    return tokensPerSecond / floorTokensPerSecond();
  }

  public String render() {
    return String.format("%s d_in=%d d_sae=%d batch=%d threads=%d target_l0=%d: %.0f tok/s, "
        + "%.1f GFLOP/s (dense floor 2*B*n*m), step %.3f s, L0 %.1f, %s peak heap %d MiB, "
        + "peak RSS %d MiB, %s loops", what, spec.dIn(), spec.dSae(), spec.batch(), spec.threads(),
        spec.targetL0(), tokensPerSecond, gflops, medianSeconds, l0,
        Double.isNaN(gemmSeconds) ? "" : String.format("SGEMM floor %.0f tok/s (%.1f%% reached),",
            floorTokensPerSecond(), 100 * fractionOfFloor()),
        peakHeapBytes >> 20, peakNativeBytes >> 20, VectorOps.implementation())
        .replace(" peak heap -1 MiB, peak RSS -1 MiB,", "");
  }
}
