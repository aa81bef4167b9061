package org.gsae.jobs.config;

import org.gsae.spark.report.ImageTiles;

/**
 * The {@code report} command, validated: HTML pages from a training run and its analysis
 * (docs/architecture.md §10).
 *
 * @param runPath      a training output directory ({@code --run}), or null
 * @param analysisPath an analysis directory ({@code --analysis}), or null for
 *                     {@code RUN/analysis} when present
 * @param outputPath   the report directory ({@code --output})
 * @param imageShape   rows drawn as images of this shape ({@code --image-shape HxW}), or null
 *                     to recognise 784 (28x28) and 1024 (32x32) wide rows
 * @param labelColumn  metadata column with class labels for MONO/POLY tags
 *                     ({@code --label-column}), or null
 */
public record ReportOptions(String runPath, String analysisPath, String outputPath,
    ImageTiles.Shape imageShape, String labelColumn) {

  public ReportOptions {
    OptionProblems p = new OptionProblems("report");
    p.check(runPath != null || analysisPath != null,
        "report needs --run (a training output), --analysis (an analyze output) or both");
    p.requirePath(outputPath, "--output", "a directory for the report");
    p.distinct(outputPath, "--output", runPath, "--run",
        "the report would replace the run: choose --output RUN/report");
    p.distinct(outputPath, "--output", analysisPath, "--analysis",
        "the report would replace the analysis: choose --output ANALYSIS/report");
    p.throwIfAny();
  }
}
