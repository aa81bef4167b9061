/** Benchmark of the distributed training step against the core step on the same global batch. */
package org.gsae.spark.bench;
