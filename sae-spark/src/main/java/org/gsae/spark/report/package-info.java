/**
 * The {@code report} command (docs/architecture.md §10): a static, self-contained HTML report
 * of a training run and its analysis. {@link org.gsae.spark.report.ReportRun} reads the run's
 * {@code metrics.parquet} and model and the analysis tables, and writes pages, the chart library
 * (Apache ECharts, from its WebJar) and the data as script files beside them, so the report opens
 * from disk with no server and no network. Feature pages read their data from chunk files of
 * {@value org.gsae.spark.report.ReportData#CHUNK} features, loaded when a page needs them.
 */
package org.gsae.spark.report;
