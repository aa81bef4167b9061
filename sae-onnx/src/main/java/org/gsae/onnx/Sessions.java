package org.gsae.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gsae.core.error.Errors;

/** ONNX Runtime sessions and the token tensors fed to them. */
final class Sessions {
  private Sessions() {}

  /** A session of {@code model} with all graph optimisations and {@code threads} intra-op threads. */
  static OrtSession create(byte[] model, int threads, String label) {
    try {
      OrtSession.SessionOptions o = new OrtSession.SessionOptions();
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      return OrtEnvironment.getEnvironment().createSession(model, o);
    } catch (OrtException e) {
      throw Errors.invalidInput("ONNX Runtime cannot load the model (" + e.getMessage() + ")",
          label, "pass an ONNX model ONNX Runtime " + "1.20 can run", e);
    }
  }

  /** A session's first output, copied out of ONNX Runtime: its shape and values. */
  record Output(long[] shape, float[] values) {}

  /** Runs {@code session} on {@code feed} (closed here) and copies out its first output. */
  static Output firstOutput(OrtSession session, Feed feed) throws OrtException {
    try (feed; OrtSession.Result r = session.run(feed.tensors())) {
      OnnxTensor t = (OnnxTensor) r.get(0);
      FloatBuffer fb = t.getFloatBuffer();
      float[] values = new float[fb.remaining()];
      fb.get(values);
      return new Output(t.getInfo().getShape(), values);
    }
  }

  /** The tensors of one batch, closed together. */
  record Feed(Map<String, OnnxTensor> tensors) implements AutoCloseable {
    @Override
    public void close() {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /**
   * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} [B, L] (int64, padded
   * with 0 to the batch's longest sequence), those of them the graph reads.
   *
   * @param extra further tensors to feed (owned by the feed from now on, closed on failure too)
   */
  static Feed feed(List<TextTokenizer.Tokens> batch, Set<String> inputs, Map<String, OnnxTensor> extra) {
    int b = batch.size();
    int len = OnnxActivationModel.maxLength(batch);
    long[] ids = new long[b * len];
    long[] mask = new long[b * len];
    long[] types = new long[b * len];
    for (int r = 0; r < b; r++) {
      TextTokenizer.Tokens t = batch.get(r);
      System.arraycopy(t.ids(), 0, ids, r * len, t.length());
      System.arraycopy(t.typeIds(), 0, types, r * len, t.length());
      java.util.Arrays.fill(mask, r * len, r * len + t.length(), 1L);
    }
    Map<String, OnnxTensor> m = new HashMap<>(extra);
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      long[] shape = {b, len};
      for (String input : inputs) {
        long[] data = switch (input) {
          case "input_ids" -> ids;
          case "attention_mask" -> mask;
          case "token_type_ids" -> types;
          default -> null;
        };
        if (data != null) {
          m.put(input, OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape));
        } else if (!extra.containsKey(input)) {
          throw Errors.invalidInput("the model has an input " + input + " this tokenizer cannot feed",
              inputs.toString(), "export the model with inputs input_ids, attention_mask "
                  + "(and token_type_ids)");
        }
      }
      return new Feed(m);
    } catch (OrtException e) {
      m.values().forEach(OnnxTensor::close);
      throw new IllegalStateException("cannot create input tensors", e);
    } catch (RuntimeException e) {
      m.values().forEach(OnnxTensor::close);
      throw e;
    }
  }

  static Feed feed(List<TextTokenizer.Tokens> batch, Set<String> inputs) {
    return feed(batch, inputs, Map.of());
  }
}
