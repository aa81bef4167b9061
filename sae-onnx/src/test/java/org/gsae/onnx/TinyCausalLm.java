package org.gsae.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A causal "language model" small enough to check by hand, written as an ONNX file by the
 * test itself (onnx.proto field numbers): {@code h = E[input_ids]} (the site, [batch, sequence,
 * D]), {@code logits = h W} [batch, sequence, V]; so position i's logits depend on token i only.
 * E is the identity and W the smoothed log bigram probabilities of the texts it is built from,
 * so it predicts them better than a uniform guess. Its tokenizer is a word-level tokenizer.json
 * over {@link #WORDS}.
 */
final class TinyCausalLm {
  static final List<String> WORDS = List.of("the", "cat", "sat", "on", "mat", "a", "dog", "ran",
      "[UNK]");
  static final int V = WORDS.size();
  static final int D = V;
  final float[] e = new float[V * D];
  final float[] w = new float[D * V];

  TinyCausalLm(List<String> texts) {
    double[] counts = new double[V * V];
    java.util.Arrays.fill(counts, 0.5);
    for (String t : texts) {
      String[] words = t.split(" ");
      for (int i = 0; i + 1 < words.length; i++) {
        counts[WORDS.indexOf(words[i]) * V + WORDS.indexOf(words[i + 1])]++;
      }
    }
    for (int a = 0; a < V; a++) {
      e[a * D + a] = 1;
      double row = 0;
      for (int b = 0; b < V; b++) {
        row += counts[a * V + b];
      }
      for (int b = 0; b < V; b++) {
        w[a * V + b] = (float) Math.log(counts[a * V + b] / row);
      }
    }
  }

  ModelFiles files() {
    return new ModelFiles("tiny-lm", model(), tokenizer());
  }

  /** Mean next-token cross-entropy of {@code texts}, in double, with h scaled by {@code scale}. */
  double crossEntropy(List<String> texts, double scale) {
    double sum = 0;
    int n = 0;
    for (String t : texts) {
      String[] words = t.split(" ");
      for (int i = 0; i + 1 < words.length; i++) {
        int id = WORDS.indexOf(words[i]);
        double[] logits = new double[V];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < V; v++) {
          for (int d = 0; d < D; d++) {
            logits[v] += scale * e[id * D + d] * w[d * V + v];
          }
          max = Math.max(max, logits[v]);
        }
        double z = 0;
        for (double l : logits) {
          z += Math.exp(l - max);
        }
        sum += max + Math.log(z) - logits[WORDS.indexOf(words[i + 1])];
        n++;
      }
    }
    return sum / n;
  }

  private byte[] tokenizer() {
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < V; i++) {
      vocab.append(i == 0 ? "" : ",").append('"').append(WORDS.get(i)).append("\":").append(i);
    }
    return ("{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,"
        + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab
        + "},\"unk_token\":\"[UNK]\"}}").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] model() {
    UnknownFieldSet graph = UnknownFieldSet.newBuilder()
        .addField(1, repeated(node("embed", "Gather", List.of("E", "input_ids"), "h"),
            node("lm_head", "MatMul", List.of("h", "W"), "logits")))
        .addField(2, string("tiny"))
        .addField(5, repeated(tensor("E", V, D, e), tensor("W", D, V, w)))
        .addField(11, repeated(valueInfo("input_ids", 7, -1), valueInfo("attention_mask", 7, -1)))
        .addField(12, repeated(valueInfo("logits", 1, V)))
        .build();
    UnknownFieldSet opset = UnknownFieldSet.newBuilder().addField(1, string(""))
        .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(13).build()).build();
    return UnknownFieldSet.newBuilder()
        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(8).build())
        .addField(7, repeated(graph.toByteString()))
        .addField(8, repeated(opset.toByteString()))
        .build().toByteArray();
  }

  private static ByteString node(String name, String op, List<String> in, String out) {
    UnknownFieldSet.Field.Builder inputs = UnknownFieldSet.Field.newBuilder();
    in.forEach(i -> inputs.addLengthDelimited(ByteString.copyFromUtf8(i)));
    return UnknownFieldSet.newBuilder().addField(1, inputs.build()).addField(2, string(out))
        .addField(3, string(name)).addField(4, string(op)).build().toByteString();
  }

  private static ByteString tensor(String name, int rows, int cols, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return UnknownFieldSet.newBuilder()
        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(rows).addVarint(cols).build())
        .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
        .addField(8, string(name))
        .addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(b.array())).build())
        .build().toByteString();
  }

  /** A tensor [batch, sequence] (last < 0) or [batch, sequence, last] of the element type. */
  private static ByteString valueInfo(String name, int elemType, int last) {
    UnknownFieldSet.Field.Builder dims = UnknownFieldSet.Field.newBuilder()
        .addLengthDelimited(UnknownFieldSet.newBuilder().addField(2, string("batch")).build().toByteString())
        .addLengthDelimited(UnknownFieldSet.newBuilder().addField(2, string("sequence")).build().toByteString());
    if (last > 0) {
      dims.addLengthDelimited(UnknownFieldSet.newBuilder().addField(1,
          UnknownFieldSet.Field.newBuilder().addVarint(last).build()).build().toByteString());
    }
    UnknownFieldSet shape = UnknownFieldSet.newBuilder().addField(1, dims.build()).build();
    UnknownFieldSet tensorType = UnknownFieldSet.newBuilder()
        .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(elemType).build())
        .addField(2, repeated(shape.toByteString())).build();
    UnknownFieldSet type = UnknownFieldSet.newBuilder().addField(1, repeated(tensorType.toByteString())).build();
    return UnknownFieldSet.newBuilder().addField(1, string(name))
        .addField(2, repeated(type.toByteString())).build().toByteString();
  }

  private static UnknownFieldSet.Field string(String s) {
    return UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(s)).build();
  }

  private static UnknownFieldSet.Field repeated(ByteString... items) {
    UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
    for (ByteString i : items) {
      f.addLengthDelimited(i);
    }
    return f.build();
  }
}
