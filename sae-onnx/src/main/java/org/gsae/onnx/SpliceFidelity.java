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
 * How much of a transformer's output survives when a site's activations are replaced, the
 * paper's "loss recovered". Each text runs three ways through a graph spliced at the site (the
 * layers after the site read a tensor the caller supplies): with the site's own activations
 * (clean), with a replacement's (for example an SAE's reconstruction) and with zeros. What is
 * compared depends on the model's first output:
 *
 * <ul>
 *   <li>{@code logits} [batch, sequence, vocabulary], a causal LM: {@link Measure#CROSS_ENTROPY},
 *       the mean next-token cross-entropy (nats per predicted token: position i predicts the
 *       token at i + 1) of each run, and fidelity = (CE(zeros) - CE(replacement)) / (CE(zeros)
 *       - CE(clean)), as Rajamanoharan et al. define loss recovered;</li>
 *   <li>anything else [batch, sequence, hidden], an embedding model:
 *       {@link Measure#EMBEDDING_COSINE}, the sentence embedding being the mean of the output
 *       tokens under the attention mask (the pooling of sentence-transformers); with d(x) the
 *       mean over texts of {@code 1 - cosine(clean embedding, embedding with x)}, fidelity =
 *       {@code 1 - d(replacement) / d(zeros)}.</li>
 * </ul>
 *
 * Both are 1 when the replacement changes nothing and 0 when it harms as much as erasing the
 * site. Only the text's own tokens are replaced; special tokens ({@code [CLS]}, {@code [SEP]})
 * keep their activations, as a harvest never stores them.
 */
public final class SpliceFidelity implements AutoCloseable {
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

  /** What is compared between the runs. */
  public enum Measure {
    /** Mean 1 - cosine of mean-pooled sentence embeddings to the clean one (clean is 0). */
    EMBEDDING_COSINE,
    /** Mean next-token cross-entropy in nats per predicted token. */
    CROSS_ENTROPY
  }

  /** Padded tokens per batch for a causal LM, whose logits are [tokens, vocabulary]. */
  static final int LM_BATCH_TOKENS = 512;

  /**
   * @param measure     what was compared
   * @param texts       texts evaluated
   * @param tokens      tokens replaced (special tokens excluded)
   * @param clean       the measure of the clean runs
   * @param replaced    the measure with the replacement
   * @param zeros       the measure with zeros
   * @param fidelity    1 when the replacement loses nothing, 0 when it is as bad as zeros
   * @param spliceCheck the same measure between the unedited model and the spliced graph's
   *                    clean run: 1 - cosine, or the absolute difference of cross-entropies
   *                    (0 on this project's machines: the splice is faithful)
   */
  public record Result(Measure measure, int texts, long tokens, double clean, double replaced,
      double zeros, double fidelity, double spliceCheck) {}

  private final OnnxActivationModel site;
  private final OrtSession spliced;
  private final OrtSession full;
  private final Set<String> splicedInputs;
  private final Set<String> fullInputs;
  private final String name;
  private final Measure measure;

  private SpliceFidelity(OnnxActivationModel site, OrtSession spliced, Set<String> splicedInputs,
      OrtSession full, Set<String> fullInputs, String name, Measure measure) {
    this.site = site;
    this.spliced = spliced;
    this.splicedInputs = splicedInputs;
    this.full = full;
    this.fullInputs = fullInputs;
    this.name = name;
    this.measure = measure;
  }

  /** Loads the model three ways: cut at the site, spliced at the site, and whole. */
  public static SpliceFidelity open(ModelFiles files, Site at, int threads) {
    OnnxActivationModel cut = OnnxActivationModel.open(files, at, threads);
    try {
      OnnxGraph graph = OnnxGraph.parse(files.onnx(), files.name());
      byte[] splicedBytes = graph.splicing(cut.tensor(), SITE_INPUT, cut.width());
      Set<String> splicedInputs = Set.copyOf(OnnxGraph.parse(splicedBytes, files.name()).inputNames());
      OrtSession s = Sessions.create(splicedBytes, threads, files.name());
      OrtSession f = Sessions.create(files.onnx(), threads, files.name());
      Measure m = graph.outputNames().get(0).equals("logits") ? Measure.CROSS_ENTROPY
          : Measure.EMBEDDING_COSINE;
      return new SpliceFidelity(cut, s, splicedInputs, f, Set.copyOf(graph.inputNames()),
          files.name(), m);
    } catch (RuntimeException e) {
      cut.close();
      throw e;
    }
  }

  /** Values per token at the site. */
  public int width() {
    return site.width();
  }

  /** What this model's runs are compared by. */
  public Measure measure() {
    return measure;
  }

  /** Runs every text clean, replaced and erased, in batches of similar lengths. */
  public Result evaluate(List<String> texts, Replacement replacement) {
    Errors.check(!texts.isEmpty(), "no texts to evaluate");
    List<TextTokenizer.Tokens> tokens = new ArrayList<>();
    for (String t : texts) {
      tokens.add(site.tokenizer().tokenize(t));
    }
    int d = site.width();
    // [model, clean, replaced, zeros]: summed distances per text, or summed cross-entropies
    double[] sums = new double[4];
    long predicted = 0;
    long replaced = 0;
    int batchTokens = measure == Measure.CROSS_ENTROPY ? LM_BATCH_TOKENS : OnnxActivationModel.BATCH_TOKENS;
    for (int[] idx : OnnxActivationModel.batches(tokens, batchTokens)) {
      List<TextTokenizer.Tokens> b = new ArrayList<>();
      for (int i : idx) {
        b.add(tokens.get(i));
      }
      int len = OnnxActivationModel.maxLength(b);
      float[] acts = site.run(b);
      float[][] out = {
          run(full, fullInputs, b, null, len),
          run(spliced, splicedInputs, b, acts, len),
          run(spliced, splicedInputs, b, replaceTokens(b, acts, len, d, replacement), len),
          run(spliced, splicedInputs, b, replaceTokens(b, acts, len, d, ZEROS), len)};
      if (measure == Measure.CROSS_ENTROPY) {
        for (int v = 0; v < 4; v++) {
          sums[v] += crossEntropy(out[v], b, len);
        }
        for (TextTokenizer.Tokens t : b) {
          predicted += t.length() - 1;
        }
      } else {
        float[][] pooled = new float[4][];
        for (int v = 0; v < 4; v++) {
          pooled[v] = meanPool(out[v], b, len);
        }
        int h = pooled[1].length / b.size();
        for (int r = 0; r < b.size(); r++) {
          for (int v = 0; v < 4; v++) {
            sums[v] += v == 1 ? 0 : 1 - cosine(pooled[1], pooled[v], r * h, h);
          }
        }
      }
      for (TextTokenizer.Tokens t : b) {
        replaced += t.textTokens();
      }
    }
    double per = measure == Measure.CROSS_ENTROPY ? predicted : texts.size();
    double model = sums[0] / per;
    double clean = sums[1] / per;
    double swapped = sums[2] / per;
    double zeros = sums[3] / per;
    return measure == Measure.CROSS_ENTROPY
        ? new Result(measure, texts.size(), replaced, clean, swapped, zeros,
            (zeros - swapped) / (zeros - clean), Math.abs(model - clean))
        : new Result(measure, texts.size(), replaced, 0, swapped, zeros, 1 - swapped / zeros, model);
  }

  /** Summed next-token cross-entropy (nats) of logits [B, L, V] over each sequence's tokens. */
  private static double crossEntropy(float[] logits, List<TextTokenizer.Tokens> b, int len) {
    int v = logits.length / (b.size() * len);
    double sum = 0;
    for (int r = 0; r < b.size(); r++) {
      long[] ids = b.get(r).ids();
      for (int i = 0; i + 1 < ids.length; i++) {
        int off = (r * len + i) * v;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
          max = Math.max(max, logits[off + j]);
        }
        double z = 0;
        for (int j = 0; j < v; j++) {
          z += Math.exp(logits[off + j] - max);
        }
        sum += max + Math.log(z) - logits[off + (int) ids[i + 1]];
      }
    }
    return sum;
  }

  /** Mean over each sequence's tokens of out [B, L, H]: [B, H]. */
  private static float[] meanPool(float[] out, List<TextTokenizer.Tokens> b, int len) {
    int h = out.length / (b.size() * len);
    float[] pooled = new float[b.size() * h];
    for (int r = 0; r < b.size(); r++) {
      int t = b.get(r).length();
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < h; j++) {
          pooled[r * h + j] += out[(r * len + i) * h + j];
        }
      }
      for (int j = 0; j < h; j++) {
        pooled[r * h + j] /= t;
      }
    }
    return pooled;
  }

  /** A copy of the site tensor [B, L, d] with every non-special, non-padding token replaced. */
  private static float[] replaceTokens(List<TextTokenizer.Tokens> b, float[] acts, int len, int d,
      Replacement replacement) {
    int count = b.stream().mapToInt(TextTokenizer.Tokens::textTokens).sum();
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

  /** The first output of {@code session} [B, L, H] (site tensor fed when {@code acts} != null). */
  private float[] run(OrtSession session, Set<String> inputs, List<TextTokenizer.Tokens> b,
      float[] acts, int len) {
    try {
      Map<String, OnnxTensor> extra = acts == null ? Map.of() : Map.of(SITE_INPUT,
          OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), FloatBuffer.wrap(acts),
              new long[] {b.size(), len, site.width()}));
      Sessions.Output out = Sessions.firstOutput(session, Sessions.feed(b, inputs, extra));
      long[] shape = out.shape();
      if (shape.length != 3 || shape[0] != b.size() || shape[1] != len) {
        throw Errors.invalidInput("the model's first output has shape "
            + java.util.Arrays.toString(shape) + ", expected per-token vectors [batch, "
            + "sequence, hidden] or logits", name,
            "evaluate a model whose first output is its last hidden state or its logits");
      }
      return out.values();
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
