package org.gsae.jobs.config;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" for unknown config keys: the accepted key closest in edit distance, offered
 * only when it is plausibly what was meant (a typo, the right name in the wrong section, or a
 * truncated name).
 */
final class Suggestions {
  private Suggestions() {}

  /** The accepted key the user most likely meant by {@code unknown}, if any. */
  static Optional<String> closest(String unknown, Collection<KeySpec> accepted) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String leaf = leaf(unknown);
    String section = section(unknown);
    for (KeySpec k : accepted) {
      int d = distance(unknown, k.key());
      boolean typo = d <= Math.max(2, unknown.length() / 3);
      boolean movedLeaf = leaf.equals(k.leaf());
      boolean truncated = section.equals(k.section()) && leaf.length() >= 2
          && (k.leaf().startsWith(leaf) || leaf.startsWith(k.leaf()));
      if ((typo || movedLeaf || truncated) && d < bestDistance) {
        best = k.key();
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance (insertions, deletions, substitutions each cost 1). */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String leaf(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  private static String section(String key) {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? "" : key.substring(0, dot);
  }
}
