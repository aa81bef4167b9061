package org.gsae.core.model;

import org.gsae.core.tensor.Tensor;

/**
 * The gated encoder's intermediates for one batch of B rows (docs/architecture.md §2). Computed
 * once by {@link GatedEncoder#encode} and shared by inference and the loss, so the gating logic
 * exists in exactly one place.
 *
 * @param xCentered   {@code x - b_dec}, [B, n]
 * @param pi          {@code x_c W_enc}, the one shared encoder product, [B, m]
 * @param piGate      {@code pi + b_gate}, [B, m]
 * @param piMag       {@code exp(r_mag) * pi + b_mag}, [B, m]
 * @param featureActs {@code 1[pi_gate > 0] * relu(pi_mag)}, [B, m]
 */
public record Encoding(Tensor xCentered, Tensor pi, Tensor piGate, Tensor piMag,
    Tensor featureActs) {}
