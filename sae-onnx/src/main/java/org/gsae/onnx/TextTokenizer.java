package org.gsae.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.gsae.core.error.Errors;

/**
 * A HuggingFace {@code tokenizer.json} (DJL's binding of the Rust tokenizers), kept offline.
 *
 * <p>DJL contacts a cloud metadata address when a tokenizer is first created, and may try to
 * download natives or models, unless {@code OPT_OUT_TRACKING} and {@code DJL_OFFLINE} are set
 * before its first use. This class sets both as system properties (which DJL reads like the
 * environment variables) before any DJL class is touched, so nothing here opens a connection;
 * {@code TextTokenizerOfflineTest} fails on any connection attempt. The tokenizer's native
 * library is unpacked from the jar into DJL's cache ({@code ~/.djl.ai}, or {@code DJL_CACHE_DIR}).
 */
public final class TextTokenizer implements AutoCloseable {
  static {
    offline();
  }

  /** One tokenized text: the sequence the model reads and where its tokens are in the text. */
  record Tokens(long[] ids, long[] typeIds, String[] tokens, boolean[] special, int[] starts,
      int[] ends, boolean truncated) {
    int length() {
      return ids.length;
    }

    /** Tokens of the text itself: those that are not special. */
    int textTokens() {
      int n = 0;
      for (boolean s : special) {
        n += s ? 0 : 1;
      }
      return n;
    }
  }

  private final HuggingFaceTokenizer tokenizer;

  /**
   * @param tokenizerJson the tokenizer.json bytes
   * @param maxLength     the model's maximum sequence length (longer texts are truncated)
   * @param label         the model's name, for messages
   */
  public TextTokenizer(byte[] tokenizerJson, int maxLength, String label) {
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
          Map.of("addSpecialTokens", "true", "truncation", "true", "padding", "false",
              "maxLength", Integer.toString(maxLength)));
    } catch (IOException | RuntimeException e) {
      throw Errors.invalidInput("cannot load tokenizer.json (" + e.getMessage() + ")", label,
          "pass the HuggingFace tokenizer.json saved with the model", e);
    }
  }

  /** Makes DJL offline: no tracking call, no downloads. Idempotent; run before DJL's first use. */
  public static void offline() {
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("DJL_OFFLINE", "true");
  }

  Tokens tokenize(String text) {
    Encoding e = tokenizer.encode(text);
    long[] mask = e.getSpecialTokenMask();
    CharSpan[] spans = e.getCharTokenSpans();
    int t = e.getIds().length;
    boolean[] special = new boolean[t];
    int[] starts = new int[t];
    int[] ends = new int[t];
    for (int i = 0; i < t; i++) {
      special[i] = mask[i] != 0 || spans[i] == null;
      starts[i] = special[i] ? 0 : spans[i].getStart();
      ends[i] = special[i] ? 0 : spans[i].getEnd();
    }
    return new Tokens(e.getIds(), e.getTypeIds(), e.getTokens(), special, starts, ends,
        e.exceedMaxLength());
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
