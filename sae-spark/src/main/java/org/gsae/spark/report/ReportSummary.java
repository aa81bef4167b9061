package org.gsae.spark.report;

/**
 * What a report run wrote.
 *
 * @param outputPath   the report directory (open {@code index.html})
 * @param features     features with a page (0 without an analysis)
 * @param chunks       chunk files the feature pages read
 * @param galleries    whether image galleries were drawn
 * @param wallSeconds  time to write the report
 */
public record ReportSummary(String outputPath, int features, int chunks, boolean galleries,
    double wallSeconds) {

  /** The page to open. */
  public String indexPage() {
    return outputPath + "/index.html";
  }
}
