package org.gsae.spark.train;

import org.gsae.core.train.StepMetrics;

/**
 * What a training run did.
 *
 * @param dIn           input width
 * @param dSae          dictionary width
 * @param rows          valid rows in the windows read (the whole store once every window was
 *                      read)
 * @param skippedRows   invalid rows dropped in the windows read ({@code input.on_invalid=skip})
 * @param partitions    partitions of each packed window
 * @param windows       windows the store is read in ({@code input.window_bytes})
 * @param waitSeconds   seconds the step loop waited for windows to be packed
 * @param resumedAtStep step of the checkpoint the run resumed from (0 = fresh start)
 * @param stepsRun      steps run by this invocation
 * @param last          metrics of the final step (null when no step ran)
 * @param wallSeconds   wall time of the step loop
 * @param tokensPerSecond rows processed per second in the step loop
 * @param modelPath     the saved model directory
 * @param metricsPath   the metrics table
 */
public record TrainingReport(int dIn, int dSae, long rows, long skippedRows, int partitions,
    int windows, double waitSeconds, long resumedAtStep, long stepsRun, StepMetrics last,
    double wallSeconds, double tokensPerSecond, String modelPath, String metricsPath) {}
