package org.gsae.spark.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.analysis.AnalysisFixtures;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shuffled copy holds exactly the store's rows with every column, in an order that depends
 * only on the store and the seed, well mixed, written atomically.
 */
class ShuffleRunTest {
  private static final int ROWS = 2000;

  @TempDir static Path dir;
  static String store;

  @BeforeAll
  static void store() {
    store = AnalysisFixtures.writeSynthetic(dir, "store",
        SyntheticActivations.generate(ROWS, 8, 16, 2.0, 0.05, 3), 3);
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static ShuffleReport shuffle(String out, int files, long seed) {
    return new ShuffleRun(spark(), new ShuffleSpec(InputConfig.of(store), out, files, seed)).run();
  }

  /** Every row as text, reading the part files in name order, each in its own row order. */
  private static List<String> inFileOrder(String out) throws Exception {
    List<String> rows = new ArrayList<>();
    List<Path> parts;
    try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(out)))) {
      parts = s.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path p : parts) {
      for (Row r : spark().read().parquet(p.toUri().toString()).collectAsList()) {
        rows.add(r.toString());
      }
    }
    return rows;
  }

  private static List<String> sorted(List<String> rows) {
    List<String> s = new ArrayList<>(rows);
    s.sort(null);
    return s;
  }

  @Test
  void givenAStore_whenShuffled_thenTheSameRowsAndColumnsComeOutMixedAndTheSameEveryTime()
      throws Exception {
    String a = dir.resolve("a").toUri().toString();
    ShuffleReport r = shuffle(a, 4, 7);
    assertEquals(ROWS, r.rows());
    List<String> original = new ArrayList<>();
    for (Row row : spark().read().parquet(store).collectAsList()) {
      original.add(row.toString());
    }
    List<String> shuffledRows = inFileOrder(a);
    assertEquals(sorted(original), sorted(shuffledRows), "the same rows, every column, no duplicates");
    assertEquals(List.of(spark().read().parquet(store).columns()),
        List.of(spark().read().parquet(a).columns()), "the same columns, no row_id added");

    // Mixed: in store order example_id rises by one from row to row; after the shuffle almost never.
    List<Long> ids = new ArrayList<>();
    for (String part : partsOf(a)) {
      for (Row row : spark().read().parquet(part).select("example_id").collectAsList()) {
        ids.add(row.getLong(0));
      }
    }
    long consecutive = 0;
    for (int i = 1; i < ids.size(); i++) {
      consecutive += ids.get(i) == ids.get(i - 1) + 1 ? 1 : 0;
    }
    assertTrue(consecutive < ROWS / 50, "consecutive pairs left: " + consecutive);

    // Deterministic: the same store and seed give the same files in the same order.
    String b = dir.resolve("b").toUri().toString();
    shuffle(b, 4, 7);
    assertEquals(shuffledRows, inFileOrder(b));
    // Another seed, another order.
    String c = dir.resolve("c").toUri().toString();
    shuffle(c, 4, 8);
    assertNotEquals(shuffledRows, inFileOrder(c));

    // The copy is a store of its own.
    try (ActivationStore s = ActivationStore.open(spark(), InputConfig.of(a))) {
      assertEquals(ROWS, s.totalRows());
    }
    assertTrue(Files.exists(Path.of(java.net.URI.create(a)).resolve(ShuffleRun.MARKER)));
    // Re-running replaces an earlier shuffle output.
    shuffle(a, 2, 7);
    assertEquals(sorted(original), sorted(inFileOrder(a)));
  }

  @Test
  void givenAnOutputThatIsNotAnEarlierShuffle_whenShuffled_thenRefusedAndKept() throws Exception {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("mine.txt"), "keep");
    GsaeException e = assertThrows(GsaeException.class, () -> shuffle(other.toUri().toString(), 2, 1));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(Files.exists(other.resolve("mine.txt")));
    assertFalse(Files.exists(other.resolve(ShuffleRun.MARKER)));
  }

  private static List<String> partsOf(String out) throws Exception {
    try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(out)))) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-")
          && p.getFileName().toString().endsWith(".parquet")).sorted()
          .map(p -> p.toUri().toString()).toList();
    }
  }
}
