/**
 * Distributed training: {@link org.gsae.spark.train.DistributedTrainer} runs synchronous
 * data-parallel steps over packed row blocks; the run orchestration (initialisation,
 * checkpoints, progress, outputs) builds on it.
 */
package org.gsae.spark.train;
