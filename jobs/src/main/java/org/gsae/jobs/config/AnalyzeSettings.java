package org.gsae.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.ConfigException;
import org.gsae.core.error.GsaeException;
import org.gsae.spark.report.ImageTiles;

/**
 * The analysis pass a training job runs over the store once training ends, and the report
 * written after it ({@code analyze.*} keys; the {@code analyze} and {@code report} commands
 * take the same values as options).
 *
 * @param afterTrain  whether {@code train} analyses the final model ({@code analyze.after_train})
 * @param topK        top-activating examples kept per feature ({@code analyze.top_k}), >= 1
 * @param batchSize   rows encoded per block during analysis ({@code analyze.batch_size}), >= 1,
 *                    or 0 = automatic
 * @param imageShape  the report's galleries draw rows as images of this shape
 *                    ({@code analyze.image_shape}, {@code HxW}), or null for known widths only
 * @param labelColumn the metadata column the gallery tags MONO/POLY by
 *                    ({@code analyze.label_column}), or null
 */
public record AnalyzeSettings(boolean afterTrain, int topK, int batchSize, String imageShape,
    String labelColumn) implements Serializable {

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
    if (imageShape != null) {
      try {
        ImageTiles.Shape.parse(imageShape);
      } catch (GsaeException e) {
        p.add("analyze.image_shape must be HEIGHTxWIDTH such as 28x28, got '" + imageShape + "'");
      }
    }
    if (labelColumn != null && labelColumn.isBlank()) {
      p.add("analyze.label_column must name a metadata column, got an empty value");
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** Analyse after training, top 20 examples per feature, automatic blocks, no gallery options. */
  public static AnalyzeSettings defaults() {
    return new AnalyzeSettings(true, DEFAULT_TOP_K, DEFAULT_BATCH_SIZE, null, null);
  }

  /** {@link #imageShape()} parsed, or null. */
  public ImageTiles.Shape parsedImageShape() {
    return imageShape == null ? null : ImageTiles.Shape.parse(imageShape);
  }
}
