/**
 * Training: the validated {@link org.gsae.core.train.TrainConfig}, schedules, the batch plan,
 * the mergeable per-partition {@link org.gsae.core.train.GradientAccumulator}, the update of one
 * shard of the model ({@link org.gsae.core.train.ShardUpdate} over a
 * {@link org.gsae.core.train.ShardLayout}), and the local {@link org.gsae.core.train.SaeTrainer},
 * which runs that update on the whole model as one shard.
 */
package org.gsae.core.train;
