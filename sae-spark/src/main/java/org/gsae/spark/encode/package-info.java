/**
 * The {@code encode} job (docs/architecture.md §5): Parquet activations in, Parquet feature codes
 * out, one output row per valid input row with every metadata column carried through, and the Spark
 * partitioning of the input scan kept (one output partition per input partition, rows in the
 * same order). Codes are sparse ({@code feature_indices array<int>} +
 * {@code feature_values array<float>}, active features only, ascending index) or dense
 * ({@code feature_acts array<float>}); {@code reconstruction array<float>} is optional. Output
 * is published atomically, so re-running replaces it as a whole.
 */
package org.gsae.spark.encode;
