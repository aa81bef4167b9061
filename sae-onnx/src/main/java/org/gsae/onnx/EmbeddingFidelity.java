package org.gsae.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gsae.core.error.Errors;

/**
 * How much of an embedding model's output survives when a site's activations are replaced:
 * the paper's "loss recovered" adapted to a sentence-embedding model. Each text runs three ways
 * through a graph spliced at the site (the layers after the site read a tensor the caller
 * supplies): with the site's own activations (clean), with a replacement's (for example an
 * SAE's reconstruction) and with zeros. With {@code d(x)} the mean over texts of
 * {@code 1 - cosine(clean embedding, embedding with x)}, the fidelity is
 * {@code 1 - d(replacement) / d(zeros)}: 1 when the replacement changes nothing, 0 when it
 * harms as much as erasing the site.
 *
 * <p>Sentence embeddings are the mean of the output tokens under the attention mask (the pooling
 * of sentence-transformers). Only the text's own tokens are replaced; special tokens
 * ({@code [CLS]}, {@code [SEP]}) keep their activations, as a harvest never stores them.
 */
public final class EmbeddingFidelity implements AutoCloseable {
  /** The spliced graph's new input. */
  static final String SITE_INPUT = "gsae_site";

  /** Replaces activations: rows [count, width] in, [count, width] out (may be the same array). */
  @FunctionalInterface
  public interface Replacement {
    float[] apply(float[] rows, int count, int width);
  }

  /** Leaves the activations as they are. */
  public static final Replacement IDENTITY = (rows, count, width) -> rows;
  /** Erases the activations. */
  public static final Replacement ZEROS = (rows, count, width) -> new float[rows.length];

  /**
   * @param texts          texts evaluated
   * @param tokens         tokens replaced (special tokens excluded)
   * @param distance       {@code d(replacement)}
   * @param zeroDistance   {@code d(zeros)}
   * @param fidelity       {@code 1 - distance / zeroDistance}
   * @param spliceDistance mean {@code 1 - cosine} between the unspliced model's embedding and
   *                       the spliced graph's clean one (about 1e-7: the splice is faithful)
   */
  public record Result(int texts, long tokens, double distance, double zeroDistance,
      double fidelity, double spliceDistance) {}

  private final OnnxActivationModel site;
  private final OrtSession spliced;
  private final OrtSession full;
  private final Set<String> splicedInputs;
  private final Set<String> fullInputs;
  private final String name;

  private EmbeddingFidelity(OnnxActivationModel site, OrtSession spliced, Set<String> splicedInputs,
      OrtSession full, Set<String> fullInputs, String name) {
    this.site = site;
    this.spliced = spliced;
    this.splicedInputs = splicedInputs;
    this.full = full;
    this.fullInputs = fullInputs;
    this.name = name;
  }

  /** Loads the model three ways: cut at the site, spliced at the site, and whole. */
  public static EmbeddingFidelity open(ModelFiles files, Site at, int threads) {
    OnnxActivationModel cut = OnnxActivationModel.open(files, at, threads);
    try {
      OnnxGraph graph = OnnxGraph.parse(files.onnx(), files.name());
      byte[] splicedBytes = graph.splicing(cut.tensor(), SITE_INPUT, cut.width());
      Set<String> splicedInputs = Set.copyOf(OnnxGraph.parse(splicedBytes, files.name()).inputNames());
      OrtSession s = Sessions.create(splicedBytes, threads, files.name());
      OrtSession f = Sessions.create(files.onnx(), threads, files.name());
      return new EmbeddingFidelity(cut, s, splicedInputs, f, Set.copyOf(graph.inputNames()),
          files.name());
    } catch (RuntimeException e) {
      cut.close();
      throw e;
    }
  }

  /** Values per token at the site. */
  public int width() {
    return site.width();
  }

  /** Runs every text clean, replaced and erased, in batches of similar lengths. */
  public Result evaluate(List<String> texts, Replacement replacement) {
    Errors.check(!texts.isEmpty(), "no texts to evaluate");
    List<TextTokenizer.Tokens> tokens = new ArrayList<>();
    for (String t : texts) {
      tokens.add(site.tokenizer().tokenize(t));
    }
    int d = site.width();
    double sum = 0;
    double zeroSum = 0;
    double spliceSum = 0;
    long replaced = 0;
    for (int[] idx : OnnxActivationModel.batches(tokens)) {
      List<TextTokenizer.Tokens> b = new ArrayList<>();
      for (int i : idx) {
        b.add(tokens.get(i));
      }
      int len = OnnxActivationModel.maxLength(b);
      float[] acts = site.run(b);
      float[] model = embed(full, fullInputs, b, null, len);
      float[] clean = embed(spliced, splicedInputs, b, acts, len);
      float[] swapped = embed(spliced, splicedInputs, b, replaceTokens(b, acts, len, d, replacement), len);
      float[] erased = embed(spliced, splicedInputs, b, replaceTokens(b, acts, len, d, ZEROS), len);
      int h = clean.length / b.size();
      for (int r = 0; r < b.size(); r++) {
        sum += 1 - cosine(clean, swapped, r * h, h);
        zeroSum += 1 - cosine(clean, erased, r * h, h);
        spliceSum += 1 - cosine(clean, model, r * h, h);
        for (boolean s : b.get(r).special()) {
          replaced += s ? 0 : 1;
        }
      }
    }
    int n = texts.size();
    double dist = sum / n;
    double zero = zeroSum / n;
    return new Result(n, replaced, dist, zero, 1 - dist / zero, spliceSum / n);
  }

  /** A copy of the site tensor [B, L, d] with every non-special, non-padding token replaced. */
  private static float[] replaceTokens(List<TextTokenizer.Tokens> b, float[] acts, int len, int d,
      Replacement replacement) {
    int count = 0;
    for (TextTokenizer.Tokens t : b) {
      for (boolean s : t.special()) {
        count += s ? 0 : 1;
      }
    }
    float[] rows = new float[count * d];
    int k = 0;
    for (int r = 0; r < b.size(); r++) {
      boolean[] special = b.get(r).special();
      for (int i = 0; i < special.length; i++) {
        if (!special[i]) {
          System.arraycopy(acts, (r * len + i) * d, rows, k++ * d, d);
        }
      }
    }
    float[] out = replacement.apply(rows, count, d);
    if (out.length != rows.length) {
      throw new IllegalStateException("a replacement returned " + out.length + " values for "
          + count + " rows of " + d);
    }
    float[] spliced = acts.clone();
    k = 0;
    for (int r = 0; r < b.size(); r++) {
      boolean[] special = b.get(r).special();
      for (int i = 0; i < special.length; i++) {
        if (!special[i]) {
          System.arraycopy(out, k++ * d, spliced, (r * len + i) * d, d);
        }
      }
    }
    return spliced;
  }

  /** Mean-pooled output [B, H] of {@code session} (site tensor fed when {@code acts} != null). */
  private float[] embed(OrtSession session, Set<String> inputs, List<TextTokenizer.Tokens> b,
      float[] acts, int len) {
    try {
      Map<String, OnnxTensor> extra = acts == null ? Map.of() : Map.of(SITE_INPUT,
          OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(acts),
              new long[] {b.size(), len, site.width()}));
      try (Sessions.Feed feed = Sessions.feed(b, inputs, extra);
           OrtSession.Result result = session.run(feed.tensors())) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        long[] shape = out.getInfo().getShape();
        if (shape.length != 3) {
          throw Errors.invalidInput("the model's first output has shape "
              + java.util.Arrays.toString(shape) + ", expected per-token vectors [batch, sequence, "
              + "hidden]", name, "evaluate an embedding model whose first output is its last hidden state");
        }
        int h = (int) shape[2];
        FloatBuffer fb = out.getFloatBuffer();
        float[] pooled = new float[b.size() * h];
        for (int r = 0; r < b.size(); r++) {
          int t = b.get(r).length();
          for (int i = 0; i < t; i++) {
            for (int j = 0; j < h; j++) {
              pooled[r * h + j] += fb.get((r * len + i) * h + j);
            }
          }
          for (int j = 0; j < h; j++) {
            pooled[r * h + j] /= t;
          }
        }
        return pooled;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on " + name + ": " + e.getMessage(), e);
    }
  }

  private static double cosine(float[] a, float[] b, int off, int n) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = off; i < off + n; i++) {
      ab += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Override
  public void close() {
    try {
      spliced.close();
      full.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the ONNX Runtime sessions of " + name, e);
    } finally {
      site.close();
    }
  }
}
