package org.gsae.core.analysis;

/**
 * A token of a text on which a feature fired.
 *
 * @param textIndex  the text's index in the list analysed
 * @param text       the text
 * @param token      the token, as the tokenizer spells it
 * @param position   the token's index in the model's input sequence
 * @param context    the text around the token, the token between {@code [[} and {@code ]]}
 * @param activation the feature's activation on the token ({@code > 0})
 */
public record TextExample(int textIndex, String text, String token, int position, String context,
    float activation) {}
