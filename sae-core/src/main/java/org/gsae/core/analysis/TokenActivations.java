package org.gsae.core.analysis;

import java.util.Objects;
import org.gsae.core.error.Errors;

/**
 * One text's activations at a model site: T tokens, each with its position in the model's input
 * sequence, its characters in the text, and {@code width} values.
 *
 * @param text      the text the model read
 * @param tokens    [T] the tokens as the tokenizer spells them (for example {@code "##ing"})
 * @param positions [T] each token's index in the model's input sequence (special tokens count)
 * @param starts    [T] each token's first character in {@code text}
 * @param ends      [T] one past each token's last character in {@code text}
 * @param values    [T, width] row-major activations, token by token
 * @param width     values per token
 * @param truncated whether the text was cut at the model's maximum sequence length
 */
public record TokenActivations(String text, String[] tokens, int[] positions, int[] starts,
    int[] ends, float[] values, int width, boolean truncated) {
  public TokenActivations {
    Objects.requireNonNull(text, "text");
    int t = tokens.length;
    Errors.check(positions.length == t && starts.length == t && ends.length == t,
        "tokens, positions, starts and ends must have the same length %d", t);
    Errors.check(width >= 1 && values.length == (long) t * width,
        "values must hold %d tokens x %d, got %d", t, width, values.length);
  }

  /** Number of tokens T. */
  public int size() {
    return tokens.length;
  }

  /**
   * The text around token {@code i} with the token between {@code [[} and {@code ]]}: from the
   * start of the token {@code k} before it to the end of the token {@code k} after it (the
   * report highlights the marked part).
   */
  public String context(int i, int k) {
    int from = starts[Math.max(0, i - k)];
    int to = ends[Math.min(size() - 1, i + k)];
    return text.substring(from, starts[i]) + "[[" + text.substring(starts[i], ends[i]) + "]]"
        + text.substring(ends[i], to);
  }
}
