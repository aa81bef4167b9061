package org.gsae.core.bench;

import java.io.Serializable;
import org.gsae.core.loss.GatedLoss;

/**
 * What to time.
 *
 * @param dIn        n
 * @param dSae       m
 * @param batch      rows per step (global batch)
 * @param threads    worker threads (one BLAS thread each)
 * @param targetL0   calibrate b_gate so the mean L0 on the batch is about this; 0 = all gates open
 * @param warmup     untimed steps
 * @param steps      timed steps (the median is reported)
 * @param chunkRows  rows evaluated at once
 * @param denseAbove open-gate fraction above which a chunk takes the dense path, or
 *                   {@link GatedLoss#AUTO}
 * @param seed       seed of data and initialisation
 */
public record BenchSpec(int dIn, int dSae, int batch, int threads, int targetL0, int warmup,
    int steps, int chunkRows, double denseAbove, long seed) implements Serializable {

  public BenchSpec {
    if (dIn < 1 || dSae < 1 || batch < 1 || threads < 1 || targetL0 < 0 || warmup < 0 || steps < 1
        || chunkRows < 1 || !(denseAbove >= 0 && denseAbove <= 1 || denseAbove == GatedLoss.AUTO)) {
      // (the fields are not assigned yet: name the arguments)
      throw new IllegalArgumentException("invalid bench spec: d_in=" + dIn + ", d_sae=" + dSae
          + ", batch=" + batch + ", threads=" + threads + ", target_l0=" + targetL0 + ", warmup="
          + warmup + ", steps=" + steps + ", chunk_rows=" + chunkRows + ", dense_above="
          + denseAbove);
    }
  }

  /** Dense-floor FLOPs of one step: the encoder GEMM, 2 * B * n * m. */
  public double floorFlops() {
    return 2.0 * batch * dIn * dSae;
  }
}
