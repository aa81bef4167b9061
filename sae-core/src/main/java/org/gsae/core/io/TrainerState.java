package org.gsae.core.io;

import java.io.IOException;
import java.util.Map;
import org.gsae.core.model.SaeParameters;

/**
 * What a training checkpoint holds, from whoever holds it: the step count, the parameters and
 * Adam's two moments, each as the six tensors of {@link SaeParameters#NAMES} with the
 * parameters' shapes, streamed tensor by tensor ({@link #write}) so that state cut into shards
 * on many machines is written without being gathered in one place. The local trainer holds it
 * in arrays; the Spark trainer fetches one shard's slice at a time. {@link CheckpointIO} writes
 * it; {@link Checkpoint} reads it back under the names of {@link Part}.
 */
public interface TrainerState {
  /** The three groups of tensors and their names in the checkpoint's files. */
  enum Part {
    /** The parameters ({@code sae_weights.safetensors}). */
    PARAMS(""),
    /** Adam's first moment ({@code trainer_state.safetensors}, {@code adam.m.<NAME>}). */
    ADAM_M("adam.m."),
    /** Adam's second moment ({@code adam.v.<NAME>}). */
    ADAM_V("adam.v.");

    private final String prefix;

    Part(String prefix) {
      this.prefix = prefix;
    }

    /** The file name of tensor {@code tensor} (index in {@link SaeParameters#NAMES}). */
    public String tensorName(int tensor) {
      return prefix + SaeParameters.NAMES.get(tensor);
    }
  }

  /** Receives a tensor's values in row-major order, in consecutive chunks. */
  @FunctionalInterface
  interface FloatSink {
    void write(float[] values, int offset, int length) throws IOException;
  }

  int dIn();

  int dSae();

  /** Steps taken (the index of the next step). */
  long step();

  /** Writes all values of one tensor of {@code part} to {@code sink}, in order. */
  void write(Part part, int tensor, FloatSink sink) throws IOException;

  /** All values of one tensor of {@code part} in one new array (for small models and tests). */
  default float[] values(Part part, int tensor) {
    float[] out = new float[(int) SaeParameters.length(dIn(), dSae(), tensor)];
    int[] at = {0};
    try {
      write(part, tensor, (v, off, len) -> {
        System.arraycopy(v, off, out, at[0], len);
        at[0] += len;
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /**
   * Tensor {@code tensor} of {@code part} from a checkpoint's state tensors (by
   * {@link Part#tensorName}), checked to hold as many values as the parameter.
   */
  static float[] require(Map<String, float[]> tensors, Part part, int tensor, int dIn, int dSae) {
    float[] a = tensors.get(part.tensorName(tensor));
    long n = SaeParameters.length(dIn, dSae, tensor);
    if (a == null || a.length != n) {
      throw new IllegalArgumentException("optimiser state needs '" + part.tensorName(tensor)
          + "' of " + n + " values, got " + (a == null ? "none" : a.length + " values"));
    }
    return a;
  }
}
