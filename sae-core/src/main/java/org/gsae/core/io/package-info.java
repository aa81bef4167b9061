/**
 * Model and checkpoint files, on any Hadoop file system (docs/architecture.md §3): the safetensors
 * format ({@link org.gsae.core.io.SafeTensorsReader}, a validating parser of untrusted files, and
 * {@link org.gsae.core.io.SafeTensorsWriter}); SAELens-compatible gated SAE directories
 * ({@link org.gsae.core.io.ModelDirectory}: cfg.json + sae_weights.safetensors, plus
 * {@link org.gsae.core.io.SparsityFile}); training checkpoints
 * ({@link org.gsae.core.io.CheckpointIO}); and all-or-nothing publication of outputs
 * ({@link org.gsae.core.io.AtomicDirectoryWriter}, {@link org.gsae.core.io.AtomicFileWriter}).
 * Every failure is a {@link org.gsae.core.error.GsaeException}: INVALID_INPUT naming the
 * file and the key or tensor for malformed content, IO naming the path for storage errors.
 */
package org.gsae.core.io;
