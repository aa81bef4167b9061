/**
 * Mergeable aggregators for SAE analytics (docs/architecture.md §7): reconstruction quality (MSE,
 * FVU, explained variance, relative reconstruction bias, cosine similarity), the L0 histogram,
 * per-feature firing statistics and per-feature top-k activating rows.
 *
 * <p>Every aggregator is a plain {@link java.io.Serializable} object over primitive arrays (no
 * ND4J, no Spark) with the same call order as Spark MLlib's loss aggregators: construct with the
 * dimensions, {@code add(block)} any number of row blocks, {@code merge(other)} partial
 * aggregates (dimensions are checked first), then read the results. Results do not depend on how
 * rows were split into blocks or in which order partial aggregates were merged: exactly for
 * counts, maxima and top-k lists, and up to floating-point summation order for sums (which are
 * accumulated in double). The local {@link org.gsae.core.analysis.SaeFeatureAnalyzer} and the
 * distributed analysis pass both feed these same classes.
 */
package org.gsae.core.metrics;
