package org.gsae.core.io;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.model.SaeParameters;

/**
 * A training checkpoint as found on storage (docs/architecture.md §3): a model directory plus
 * trainer state, validated by {@link CheckpointIO#read} (checksums, shapes, dtypes, finite
 * values) but not held in memory. As a {@link TrainerState} it reads its tensors from the files
 * when asked, a range at a time ({@link #read}), so a state cut into shards is restored one
 * shard at a time and no process has to hold it whole.
 */
public final class Checkpoint implements TrainerState {
  private final FileSystem fs;
  private final Path dir;
  private final long step;
  private final int dIn;
  private final int dSae;
  private final ModelInfo info;
  private final boolean moments;
  private final Map<String, Object> state;

  /**
   * @param moments whether {@code trainer_state.safetensors} holds Adam's moments (all twelve
   *                tensors); without them they are zeros
   */
  Checkpoint(FileSystem fs, Path dir, long step, int dIn, int dSae, ModelInfo info,
      boolean moments, Map<String, Object> state) {
    this.fs = fs;
    this.dir = dir;
    this.step = step;
    this.dIn = dIn;
    this.dSae = dSae;
    this.info = info;
    this.moments = moments;
    this.state = state;
  }

  /** The checkpoint directory ({@code .../checkpoints/step-0000001000}). */
  public Path dir() {
    return dir;
  }

  /** The step number in the directory name: steps taken when it was written. */
  @Override
  public long step() {
    return step;
  }

  @Override
  public int dIn() {
    return dIn;
  }

  @Override
  public int dSae() {
    return dSae;
  }

  /** cfg.json metadata and provenance. */
  public ModelInfo info() {
    return info;
  }

  /** {@code trainer_state.json}: step, seed, data cursor, ... */
  public Map<String, Object> state() {
    return state;
  }

  @Override
  public void write(Part part, int tensor, FloatSink sink) throws IOException {
    try (SafeTensorsReader r = open(part)) {
      if (r != null) {
        r.streamFloats(part.tensorName(tensor), (from, v, len) -> sink.write(v, 0, len));
        return;
      }
    }
    long n = SaeParameters.length(dIn, dSae, tensor);   // moments the checkpoint has not got
    float[] zeros = new float[(int) Math.min(n, 1 << 20)];
    for (long from = 0; from < n; from += zeros.length) {
      sink.write(zeros, 0, (int) Math.min(zeros.length, n - from));
    }
  }

  @Override
  public void read(Part part, int tensor, long from, float[] dst, int offset, int length) {
    try (SafeTensorsReader r = open(part)) {
      if (r == null) {
        java.util.Arrays.fill(dst, offset, offset + length, 0f);
      } else {
        r.readFloats(part.tensorName(tensor), from, dst, offset, length);
      }
    }
  }

  /** The file holding {@code part}'s tensors, or null for moments the checkpoint has not got. */
  private SafeTensorsReader open(Part part) {
    if (part != Part.PARAMS && !moments) {
      return null;
    }
    return SafeTensorsReader.open(fs, new Path(dir, part == Part.PARAMS
        ? ModelDirectory.WEIGHTS_FILE : CheckpointIO.STATE_TENSORS_FILE));
  }

  @Override
  public String toString() {
    return "Checkpoint[" + dir + ", step " + step + ", d_in=" + dIn + ", d_sae=" + dSae + "]";
  }
}
