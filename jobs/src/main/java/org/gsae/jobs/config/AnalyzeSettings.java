package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.ConfigException;

/**
 * The analysis pass a training job runs over the store once training ends
 * ({@code analyze.*} keys; the {@code analyze} command takes the same values as options).
 *
 * @param afterTrain whether {@code train} analyses the final model ({@code analyze.after_train})
 * @param topK       top-activating examples kept per feature ({@code analyze.top_k}), >= 1
 * @param batchSize  rows encoded per block during analysis ({@code analyze.batch_size}), >= 1, or 0 = automatic
 */
public record AnalyzeSettings(boolean afterTrain, int topK, int batchSize)
    implements Serializable {

  public static final int DEFAULT_TOP_K = 20;
  /** 0: automatic, {@code AlignedEncoder.autoBatchSize(d_sae)}. */
  public static final int DEFAULT_BATCH_SIZE = 0;

  public AnalyzeSettings {
    List<String> p = new ArrayList<>();
    if (topK < 1) {
      p.add("analyze.top_k must be >= 1, got " + topK);
    }
    if (batchSize < 0) {
      p.add("analyze.batch_size must be >= 0 (0 = automatic), got " + batchSize);
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Analyse after training, top 20 examples per feature, 4096-row blocks. */
  public static AnalyzeSettings defaults() {
    return new AnalyzeSettings(true, DEFAULT_TOP_K, DEFAULT_BATCH_SIZE);
  }
}
