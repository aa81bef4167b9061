package org.gsae.spark.shuffle;

/**
 * What a {@code shuffle} run did.
 *
 * @param rows        rows copied
 * @param files       part files written
 * @param outputPath  the qualified output
 * @param wallSeconds time from start to the published output
 */
public record ShuffleReport(long rows, int files, String outputPath, double wallSeconds) {}
