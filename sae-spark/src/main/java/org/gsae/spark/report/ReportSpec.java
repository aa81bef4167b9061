package org.gsae.spark.report;

import java.util.Objects;

/**
 * What one {@code report} reads and writes, validated by the caller.
 *
 * @param runPath      a training output ({@code metrics.parquet}, {@code model/}), or null
 * @param analysisPath an analysis output ({@code summary.json}, {@code features.parquet},
 *                     ...), or null to use {@code runPath/analysis} when it exists
 * @param outputPath   the report directory (replaced when it holds an earlier report)
 * @param imageShape   draw rows as images of this shape, or null to decide from {@code d_in}
 *                     ({@link ImageTiles.Shape#known(int)}; no galleries otherwise)
 * @param labelColumn  a metadata column holding each row's class label (MONO/POLY tags in the
 *                     feature gallery), or null
 */
public record ReportSpec(String runPath, String analysisPath, String outputPath,
    ImageTiles.Shape imageShape, String labelColumn) {

  public ReportSpec {
    Objects.requireNonNull(outputPath, "outputPath");
    if (runPath == null && analysisPath == null) {
      throw new IllegalArgumentException("a report needs a run, an analysis or both");
    }
  }
}
