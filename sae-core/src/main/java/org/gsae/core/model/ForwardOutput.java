package org.gsae.core.model;

import org.gsae.core.tensor.Tensor;

/**
 * Result of {@link GatedSae#forward}.
 *
 * @param reconstruction {@code x_hat} [B, n]
 * @param featureActs    {@code f} [B, m]
 * @param auxLoss        mean auxiliary loss {@code ||x - relu(pi_gate) W_dec - b_dec||^2} over the batch (alpha = 1)
 */
public record ForwardOutput(Tensor reconstruction, Tensor featureActs, double auxLoss) {}
