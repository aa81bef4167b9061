package org.gsae.spark.harvest;

/**
 * What a harvest wrote.
 *
 * @param site            the model and site, as {@code minilm-l6 layer 3 resid}
 * @param width           values per token
 * @param documents       texts read (including those after a {@code --max-tokens} cut)
 * @param harvested       texts with at least one token written
 * @param tokens          rows written
 * @param truncated       texts cut at the model's maximum length
 * @param partitions      tasks (and part files)
 * @param outputBytes     bytes of the written Parquet files
 * @param harvestSeconds  wall time of the pass that ran the model and wrote the store
 * @param outputPath      the store
 * @param wallSeconds     wall time of the whole command
 */
public record HarvestReport(String site, int width, long documents, long harvested, long tokens,
    long truncated, int partitions, long outputBytes, double harvestSeconds, String outputPath,
    double wallSeconds) {
  /** Tokens per second of the harvest pass. */
  public double tokensPerSecond() {
    return tokens / harvestSeconds;
  }
}
