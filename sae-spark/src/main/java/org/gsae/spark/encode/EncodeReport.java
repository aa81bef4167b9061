package org.gsae.spark.encode;

/**
 * What an encode job wrote.
 *
 * @param rows        rows written (valid input rows)
 * @param skippedRows invalid input rows dropped ({@code input.on_invalid=skip})
 * @param dIn         input width
 * @param dSae        number of features
 * @param partitions  partitions of the input scan, and so of the output
 * @param dense       dense {@code feature_acts} rather than sparse codes
 * @param reconstruct whether {@code reconstruction} was written
 * @param l0Mean      mean active features per row written
 * @param outputPath  the dataset written
 * @param wallSeconds wall time of the whole run
 */
public record EncodeReport(long rows, long skippedRows, int dIn, int dSae, int partitions,
    boolean dense, boolean reconstruct, double l0Mean, String outputPath, double wallSeconds) {}
