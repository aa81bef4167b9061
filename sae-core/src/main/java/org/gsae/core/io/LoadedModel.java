package org.gsae.core.io;

import org.gsae.core.model.SaeParameters;

/**
 * A model directory as read back: float32 parameters and the rest of cfg.json.
 *
 * @param params the six tensors, float32 ({@code W_enc [d_in, d_sae]} ... {@code b_dec [d_in]})
 * @param info   metadata and provenance
 */
public record LoadedModel(SaeParameters params, ModelInfo info) {}
