/**
 * Distributed analytics (docs/architecture.md §7): one streaming pass over the packed activation
 * store with a trained model, in which every partition fills one mergeable
 * {@link org.gsae.core.metrics.AnalysisMetrics} (per-feature fire counts, sums and maxima, the
 * L0 histogram, per-feature top-k heaps, reconstruction sums) batch by batch; the driver merges
 * the partial aggregates in partition order. Nothing collects rows to the driver: its memory is
 * the model plus O(d_sae * k) for the heaps.
 *
 * <p>{@link org.gsae.spark.analysis.AnalysisRun} is the {@code analyze} job: it writes
 * {@code features.parquet}, {@code top_examples.parquet} (with the metadata columns of each
 * example row joined back from the store by {@code row_id}), {@code summary.json} and
 * {@code sparsity.safetensors} into one output directory, atomically.
 */
package org.gsae.spark.analysis;
