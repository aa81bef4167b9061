package org.gsae.core.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.ConfigException;
import org.gsae.core.model.Variant;

/**
 * Training hyperparameters: immutable, validated in one place. Each component is the config
 * key {@code train.<snake_case name>} (and {@code model.variant}); problems are collected and
 * reported together, naming the key, the value and what is allowed.
 *
 * @param variant              objective and decoder treatment ({@code model.variant})
 * @param steps                optimiser steps to run ({@code train.steps}), >= 1
 * @param batchSize            global rows per step ({@code train.batch_size}), >= 1
 * @param lr                   peak learning rate ({@code train.lr}), > 0
 * @param lrWarmupSteps        W, linear warm-up of the learning rate: step k (1-based) of the
 *                             first W runs at {@code lr * k / W} ({@code train.lr_warmup_steps})
 * @param lrSchedule           after warm-up: constant or cosine ({@code train.lr_schedule})
 * @param lrEndRatio           cosine floor as a fraction of {@code lr} ({@code
 * train.lr_end_ratio}), in [0, 1]
 * @param sparsityCoefficient  lambda ({@code train.sparsity_coefficient}), >= 0
 * @param sparsityWarmupSteps  linear warm-up of lambda, same rule ({@code
 * train.sparsity_warmup_steps})
 * @param auxCoefficient       alpha, weight of the auxiliary loss ({@code train.aux_coefficient}),
 * >= 0
 * @param adamBeta1            Adam beta1 ({@code train.adam_beta1}), in [0, 1)
 * @param adamBeta2            Adam beta2 ({@code train.adam_beta2}), in [0, 1)
 * @param adamEps              Adam epsilon ({@code train.adam_eps}), > 0
 * @param clipGradNorm         global-norm clipping threshold, 0 = off ({@code
 * train.clip_grad_norm})
 * @param seed                 the one seed of the run ({@code train.seed})
 * @param shuffle              seeded permutation per epoch, or rows in store order ({@code
 * train.shuffle})
 * @param checkpointEvery      steps between checkpoints, 0 = only at the end ({@code
 * train.checkpoint_every})
 * @param logEvery             steps between progress lines ({@code train.log_every}), >= 1
 */
public record TrainConfig(
    Variant variant,
    long steps,
    int batchSize,
    double lr,
    long lrWarmupSteps,
    LrSchedule lrSchedule,
    double lrEndRatio,
    double sparsityCoefficient,
    long sparsityWarmupSteps,
    double auxCoefficient,
    double adamBeta1,
    double adamBeta2,
    double adamEps,
    double clipGradNorm,
    long seed,
    boolean shuffle,
    long checkpointEvery,
    long logEvery) implements Serializable {

  public TrainConfig {
    List<String> p = new ArrayList<>();
    if (variant == null) {
      p.add("model.variant must be one of paper, saelens");
    }
    if (lrSchedule == null) {
      p.add("train.lr_schedule must be one of constant, cosine");
    }
    if (steps < 1) {
      p.add("train.steps must be >= 1, got " + steps);
    }
    if (batchSize < 1) {
      p.add("train.batch_size must be >= 1, got " + batchSize);
    }
    if (!(lr > 0) || Double.isInfinite(lr)) {
      p.add("train.lr must be a finite number > 0, got " + lr);
    }
    if (lrWarmupSteps < 0) {
      p.add("train.lr_warmup_steps must be >= 0, got " + lrWarmupSteps);
    }
    if (!(lrEndRatio >= 0 && lrEndRatio <= 1)) {
      p.add("train.lr_end_ratio must be in [0, 1], got " + lrEndRatio);
    }
    if (!(sparsityCoefficient >= 0) || Double.isInfinite(sparsityCoefficient)) {
      p.add("train.sparsity_coefficient must be a finite number >= 0, got " + sparsityCoefficient);
    }
    if (sparsityWarmupSteps < 0) {
      p.add("train.sparsity_warmup_steps must be >= 0, got " + sparsityWarmupSteps);
    }
    if (!(auxCoefficient >= 0) || Double.isInfinite(auxCoefficient)) {
      p.add("train.aux_coefficient must be a finite number >= 0, got " + auxCoefficient);
    }
    if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
      p.add("train.adam_beta1 must be in [0, 1), got " + adamBeta1);
    }
    if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
      p.add("train.adam_beta2 must be in [0, 1), got " + adamBeta2);
    }
    if (!(adamEps > 0) || Double.isInfinite(adamEps)) {
      p.add("train.adam_eps must be a finite number > 0, got " + adamEps);
    }
    if (!(clipGradNorm >= 0) || Double.isInfinite(clipGradNorm)) {
      p.add("train.clip_grad_norm must be a finite number >= 0 (0 = off), got " + clipGradNorm);
    }
    if (checkpointEvery < 0) {
      p.add("train.checkpoint_every must be >= 0 (0 = only at the end), got " + checkpointEvery);
    }
    if (logEvery < 1) {
      p.add("train.log_every must be >= 1, got " + logEvery);
    }
    if (!p.isEmpty()) {
      throw new ConfigException(p);
    }
  }

  /** The defaults documented in {@code conf/train.conf}. */
  public static TrainConfig defaults() {
    return new TrainConfig(Variant.PAPER, 10_000, 4096, 3e-4, 0, LrSchedule.CONSTANT, 0.1,
        1.0, 0, 1.0, 0.0, 0.999, 1e-8, 1.0, 42, true, 1000, 50);
  }

  /** A copy with a different number of steps. */
  public TrainConfig withSteps(long s) {
    return new TrainConfig(variant, s, batchSize, lr, lrWarmupSteps, lrSchedule, lrEndRatio,
        sparsityCoefficient, sparsityWarmupSteps, auxCoefficient, adamBeta1, adamBeta2, adamEps,
        clipGradNorm, seed, shuffle, checkpointEvery, logEvery);
  }

  /** A copy with a different batch size. */
  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(variant, steps, b, lr, lrWarmupSteps, lrSchedule, lrEndRatio,
        sparsityCoefficient, sparsityWarmupSteps, auxCoefficient, adamBeta1, adamBeta2, adamEps,
        clipGradNorm, seed, shuffle, checkpointEvery, logEvery);
  }

  /** A copy with a different sparsity coefficient. */
  public TrainConfig withSparsityCoefficient(double l) {
    return new TrainConfig(variant, steps, batchSize, lr, lrWarmupSteps, lrSchedule, lrEndRatio,
        l, sparsityWarmupSteps, auxCoefficient, adamBeta1, adamBeta2, adamEps,
        clipGradNorm, seed, shuffle, checkpointEvery, logEvery);
  }

  /** A copy with a different learning rate. */
  public TrainConfig withLr(double l) {
    return new TrainConfig(variant, steps, batchSize, l, lrWarmupSteps, lrSchedule, lrEndRatio,
        sparsityCoefficient, sparsityWarmupSteps, auxCoefficient, adamBeta1, adamBeta2, adamEps,
        clipGradNorm, seed, shuffle, checkpointEvery, logEvery);
  }

  /** A copy with a different seed. */
  public TrainConfig withSeed(long s) {
    return new TrainConfig(variant, steps, batchSize, lr, lrWarmupSteps, lrSchedule, lrEndRatio,
        sparsityCoefficient, sparsityWarmupSteps, auxCoefficient, adamBeta1, adamBeta2, adamEps,
        clipGradNorm, s, shuffle, checkpointEvery, logEvery);
  }
}
