package org.gsae.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.gsae.core.analysis.ActivationModel;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.error.Errors;

/**
 * An {@link ActivationModel} run by ONNX Runtime: a transformer's ONNX graph edited so its only
 * output is the site's tensor (the layers after the site are not computed), fed by a HuggingFace
 * tokenizer. Texts are tokenized, sorted by length and run in batches of similar lengths (padding
 * costs little), and returned in their original order without special tokens.
 *
 * <p>One instance holds one ONNX Runtime session and is thread-safe (its state is immutable;
 * ONNX Runtime sessions and the Rust tokenizer both allow concurrent calls), so the tasks of an
 * executor can share it. The ONNX Runtime environment is process-wide and never closed.
 */
public final class OnnxActivationModel implements ActivationModel {
  /** The sequence length of BERT-style models' position embeddings. */
  public static final int MAX_LENGTH = 512;
  /** Padded tokens per batch: large enough for full GEMMs, small enough for a task's memory. */
  public static final int BATCH_TOKENS = 4096;
  /** Sequences per batch at most. */
  public static final int BATCH_SEQUENCES = 128;

  private final String name;
  private final Site site;
  private final String tensor;
  private final TextTokenizer tokenizer;
  private final OrtSession session;
  private final Set<String> inputs;
  private final int width;

  private OnnxActivationModel(String name, Site site, String tensor, TextTokenizer tokenizer,
      OrtSession session, Set<String> inputs) {
    this.name = name;
    this.site = site;
    this.tensor = tensor;
    this.tokenizer = tokenizer;
    this.session = session;
    this.inputs = inputs;
    this.width = probeWidth();
  }

  /**
   * Loads the model with its graph cut at {@code site}.
   *
   * @param threads ONNX Runtime's intra-op threads (1 in a Spark task: Spark runs a task per core)
   */
  public static OnnxActivationModel open(ModelFiles files, Site site, int threads) {
    Errors.check(threads >= 1, "threads must be >= 1, got %d", threads);
    OnnxGraph graph = OnnxGraph.parse(files.onnx(), files.name());
    String tensor = site.tensorIn(graph);
    byte[] cut = graph.exposing(tensor);
    TextTokenizer tokenizer = new TextTokenizer(files.tokenizer(), MAX_LENGTH, files.name());
    try {
      return new OnnxActivationModel(files.name(), site, tensor, tokenizer,
          Sessions.create(cut, threads, files.name()),
          Set.copyOf(OnnxGraph.parse(cut, files.name()).inputNames())); // the cut graph's own
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public String site() {
    return name + " " + site.describe();
  }

  /** The graph tensor read. */
  String tensor() {
    return tensor;
  }

  TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** Tokens of {@code text} {@link #activations} would return (special tokens not counted). */
  public int tokenCount(String text) {
    return tokenizer.tokenize(text).textTokens();
  }

  @Override
  public List<TokenActivations> activations(List<String> texts) {
    List<TextTokenizer.Tokens> tokens = new ArrayList<>(texts.size());
    for (String t : texts) {
      tokens.add(tokenizer.tokenize(t));
    }
    TokenActivations[] out = new TokenActivations[texts.size()];
    for (int[] batch : batches(tokens, BATCH_TOKENS)) {
      List<TextTokenizer.Tokens> b = new ArrayList<>(batch.length);
      for (int i : batch) {
        b.add(tokens.get(i));
      }
      float[] acts = run(b);
      int len = maxLength(b);
      for (int j = 0; j < batch.length; j++) {
        out[batch[j]] = unpad(texts.get(batch[j]), b.get(j), acts, j, len);
      }
    }
    return Arrays.asList(out);
  }

  /**
   * Indices of {@code tokens} grouped into batches: sorted by length (stable, so equal lengths
   * keep their order), each batch at most {@link #BATCH_SEQUENCES} sequences and at most
   * {@code maxTokens} padded tokens (or one sequence).
   */
  static List<int[]> batches(List<TextTokenizer.Tokens> tokens, int maxTokens) {
    Integer[] order = new Integer[tokens.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> tokens.get(i).length()));
    List<int[]> out = new ArrayList<>();
    int from = 0;
    while (from < order.length) {
      int to = from + 1;
      // Sorted ascending: the batch's padded length is its last sequence's length.
      while (to < order.length && to - from < BATCH_SEQUENCES
          && (long) (to - from + 1) * tokens.get(order[to]).length() <= maxTokens) {
        to++;
      }
      int[] b = new int[to - from];
      for (int i = from; i < to; i++) {
        b[i - from] = order[i];
      }
      out.add(b);
      from = to;
    }
    return out;
  }

  static int maxLength(List<TextTokenizer.Tokens> batch) {
    return batch.stream().mapToInt(TextTokenizer.Tokens::length).max().orElse(0);
  }

  /** The site's tensor for a batch: [B, L, width] with L the batch's longest sequence. */
  float[] run(List<TextTokenizer.Tokens> batch) {
    Sessions.Output out;
    try {
      out = Sessions.firstOutput(session, Sessions.feed(batch, inputs));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on " + name + ": " + e.getMessage(), e);
    }
    long[] shape = out.shape();
    if (shape.length != 3 || shape[0] != batch.size() || shape[1] != maxLength(batch)) {
      throw Errors.invalidInput("the site's tensor " + tensor + " has shape "
          + Arrays.toString(shape) + ", expected [batch, sequence, width]", name,
          "choose a tensor with one vector per token");
    }
    return out.values();
  }

  private TokenActivations unpad(String text, TextTokenizer.Tokens t, float[] acts, int row,
      int len) {
    int kept = t.textTokens();
    String[] tokens = new String[kept];
    int[] positions = new int[kept];
    int[] starts = new int[kept];
    int[] ends = new int[kept];
    float[] values = new float[kept * width];
    int k = 0;
    for (int i = 0; i < t.length(); i++) {
      if (!t.special()[i]) {
        tokens[k] = t.tokens()[i];
        positions[k] = i;
        starts[k] = t.starts()[i];
        ends[k] = t.ends()[i];
        System.arraycopy(acts, (row * len + i) * width, values, k * width, width);
        k++;
      }
    }
    return new TokenActivations(text, tokens, positions, starts, ends, values, width,
        t.truncated());
  }

  private int probeWidth() {
    TextTokenizer.Tokens one = tokenizer.tokenize("width");
    float[] acts;
    try {
      acts = Sessions.firstOutput(session, Sessions.feed(List.of(one), inputs)).values();
    } catch (OrtException e) {
      throw Errors.invalidInput("ONNX Runtime cannot run the model (" + e.getMessage() + ")",
          name, "pass a transformer taking input_ids and attention_mask", e);
    }
    if (acts.length % one.length() != 0) {
      throw Errors.invalidInput("the site's tensor " + tensor + " has " + acts.length
          + " values for " + one.length() + " tokens", name,
          "choose a tensor with one vector per token");
    }
    return acts.length / one.length();
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime session of " + name, e);
    } finally {
      tokenizer.close();
    }
  }
}
