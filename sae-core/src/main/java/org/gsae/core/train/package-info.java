/**
 * Training: the validated {@link org.gsae.core.train.TrainConfig}, schedules, the batch plan,
 * the mergeable per-partition {@link org.gsae.core.train.GradientAccumulator}, the driver-side
 * {@link org.gsae.core.train.UpdateRule}, and the local {@link org.gsae.core.train.SaeTrainer}.
 */
package org.gsae.core.train;
