/**
 * The {@code shuffle} job ({@link org.gsae.spark.shuffle.ShuffleRun}): a seeded, deterministic
 * global shuffle of an activation store into a new store, every column carried through.
 */
package org.gsae.spark.shuffle;
