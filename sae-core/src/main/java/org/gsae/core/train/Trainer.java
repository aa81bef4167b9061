package org.gsae.core.train;

import org.gsae.core.io.TrainerState;

/**
 * One model's training, a step at a time: the seam where the ways of computing a step plug in
 * (docs/architecture.md §6). {@link SaeTrainer} takes a step's rows in this JVM; the Spark
 * module's trainers take rows that live in Spark partitions (one computes the gradient there
 * and keeps the model in shards on the executors, the other gathers the rows into the driver's
 * JVM and runs a {@link SaeTrainer}). Every implementation builds its step from the same two
 * pieces, the gradient sums of {@link GradientAccumulator} and the update of
 * {@link ShardUpdate}, and is a {@link TrainerState} that checkpoints stream from;
 * {@link StepLoop} drives any of them.
 *
 * @param <B> a step's rows as this trainer takes them
 */
public interface Trainer<B> extends TrainerState, AutoCloseable {
  /** Runs step {@link #step()} on {@code rows}, after which {@link #step()} counts it. */
  StepMetrics step(B rows);

  TrainConfig config();

  /** Releases what the trainer holds outside its own objects (blocks on executors, threads). */
  @Override
  default void close() {}
}
