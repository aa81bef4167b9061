/**
 * The activation store reader (docs/architecture.md §4): resolves a Parquet file, directory or glob
 * through Hadoop's FileSystem, validates the schema before any Spark job, gives every row a stable
 * {@code row_id} (its position in the store, files ordered by path), validates activation
 * vectors as they are read ({@link org.gsae.spark.store.OnInvalid}), and packs the valid rows
 * once into cached row-major {@link org.gsae.spark.store.RowBlock}s whose partitions follow
 * {@code row_id} order.
 *
 * <p>Entry point: {@link org.gsae.spark.store.ActivationStore#open}, then
 * {@link org.gsae.spark.store.ActivationStore#withRowIds()} for row-level work (analytics,
 * encode) or {@link org.gsae.spark.store.ActivationStore#pack} for training.
 */
package org.gsae.spark.store;
