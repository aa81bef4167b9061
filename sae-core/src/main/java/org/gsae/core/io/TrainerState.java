package org.gsae.core.io;

import java.io.IOException;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

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

  /**
   * Values {@code [from, from + length)} of one tensor of {@code part} (flat, row-major) into
   * {@code dst[offset, offset + length)}: how a shard of the state is read without the rest.
   * The default streams the tensor through {@link #write} and keeps the range; a state that can
   * seek (a checkpoint's files, arrays) reads the range alone.
   */
  default void read(Part part, int tensor, long from, float[] dst, int offset, int length)
      throws IOException {
    long to = from + length;
    long[] at = {0};
    write(part, tensor, (v, off, len) -> {
      long lo = Math.max(from, at[0]);
      long hi = Math.min(to, at[0] + len);
      if (lo < hi) {
        System.arraycopy(v, off + (int) (lo - at[0]), dst, offset + (int) (lo - from),
            (int) (hi - lo));
      }
      at[0] += len;
    });
  }

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

  /** All the parameters in new arrays (for small models and tests). */
  default SaeParameters parameters() {
    long[][] shapes = SaeParameters.shapes(dIn(), dSae());
    java.util.List<Tensor> t = new java.util.ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      t.add(Tensor.wrap(values(Part.PARAMS, i), shapes[i]));
    }
    return SaeParameters.fromList(t);
  }

  /**
   * The state of a run that has not stepped yet: {@code params} (float32) at step 0 and Adam's
   * moments at zero, as every run starts (a fresh initialisation or {@code model.init_from}).
   */
  static TrainerState initial(SaeParameters params) {
    if (params.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("training runs in float32; the parameters are "
          + params.dtype());
    }
    return new TrainerState() {
      @Override
      public int dIn() {
        return params.dIn();
      }

      @Override
      public int dSae() {
        return params.dSae();
      }

      @Override
      public long step() {
        return 0;
      }

      @Override
      public void write(Part part, int tensor, FloatSink sink) throws IOException {
        float[] p = params.tensors().get(tensor).floatView();
        sink.write(part == Part.PARAMS ? p : new float[p.length], 0, p.length);
      }

      @Override
      public void read(Part part, int tensor, long from, float[] dst, int offset, int length) {
        if (part == Part.PARAMS) {
          System.arraycopy(params.tensors().get(tensor).floatView(), (int) from, dst, offset,
              length);
        } else {
          java.util.Arrays.fill(dst, offset, offset + length, 0f);
        }
      }
    };
  }
}
