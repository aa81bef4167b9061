package org.gsae.core.io;

import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.gsae.core.model.SaeParameters;

/**
 * A training checkpoint as read back (docs/architecture.md §3): a model directory plus trainer
 * state.
 *
 * @param dir          the checkpoint directory ({@code .../checkpoints/step-0000001000})
 * @param step         the step number in the directory name
 * @param params       float32 parameters
 * @param info         cfg.json metadata and provenance
 * @param stateTensors {@code trainer_state.safetensors}: named float32 tensors such as
 *                     {@code adam.m.W_enc [d_in, d_sae]}
 * @param state        {@code trainer_state.json}: step, seed, data cursor, schedules, ...
 */
public record Checkpoint(Path dir, long step, SaeParameters params, ModelInfo info,
    Map<String, ShapedFloats> stateTensors, Map<String, Object> state) {}
