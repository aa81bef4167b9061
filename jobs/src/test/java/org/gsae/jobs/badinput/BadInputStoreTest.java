package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.gsae.jobs.badinput.StoreFiles.validRows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad activation store given to {@code sae train}: exit code 3, one stderr line naming the
 * file (and the row and column where there is one) and how to fix it, and no output directory.
 */
class BadInputStoreTest {
  /** Row 7 of b.parquet is row_id 17: a.parquet holds rows 0..9, b 10..29, c 30..39. */
  private static final int BAD_ROW = 7;

  @TempDir
  Path tmp;

  private Path store() {
    return tmp.resolve("store");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  /** Three files, valid except that row 7 of b.parquet has activation {@code bad}. */
  private String threeFilesWithBadRow(Float[] bad) {
    StoreFiles.floats(store().resolve("a.parquet"), 0, validRows(0, 10));
    List<Float[]> b = new ArrayList<>(validRows(10, 20));
    b.set(BAD_ROW, bad);
    StoreFiles.floats(store().resolve("b.parquet"), 10, b);
    StoreFiles.floats(store().resolve("c.parquet"), 30, validRows(30, 10));
    return store().toString();
  }

  /** Trains on {@code store}, expects exit 3 and no output, and returns the message. */
  private String failsWithInvalidInput(String store) {
    String msg = Cli.train(store, out()).failedWith(3);
    assertNoOutput(out());
    assertTrue(msg.contains(". Fix: "), () -> "says how to fix it: " + msg);
    return msg;
  }

  /** The message names row 7 of b.parquet (row_id 17) and says that the rows can be skipped. */
  private static void assertNamesBadRow(String msg, String problem) {
    assertTrue(msg.startsWith(problem), msg);
    assertTrue(Pattern.compile("\\(at row 7 of file:/\\S*/store/b\\.parquet, row_id 17\\)")
        .matcher(msg).find(), msg);
    assertTrue(msg.contains("input.on_invalid = skip"), msg);
  }

  @Test
  void givenNoActivationColumn_whenTraining_thenExitThreeListingTheColumnsFound() {
    StoreFiles.floatsNamed(store().resolve("a.parquet"), "resid", 10);
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("activation column 'activation' not found; available columns: "
        + "example_id (bigint), token (string), resid (array<float>)"), msg);
    assertTrue(msg.contains("/store/a.parquet") && msg.contains("set input.column"), msg);
  }

  @Test
  void givenAStringActivationColumn_whenTraining_thenExitThreeNamingTypeFoundAndAccepted() {
    StoreFiles.strings(store().resolve("a.parquet"), 10);
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("activation column 'activation' has type string; accepted types: "), msg);
    assertTrue(msg.contains("array<float>") && msg.contains("/store/a.parquet"), msg);
  }

  @Test
  void givenAnIntActivationColumn_whenTraining_thenExitThreeNamingTypeFoundAndAccepted() {
    StoreFiles.ints(store().resolve("a.parquet"), 10);
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("activation column 'activation' has type int; accepted types: "), msg);
    assertTrue(msg.contains("/store/a.parquet"), msg);
  }

  @Test
  void givenOneRowOfWrongLengthInOneOfThreeFiles_whenTraining_thenExitThreeNamingFileAndRow() {
    String msg = failsWithInvalidInput(threeFilesWithBadRow(new Float[] {1f, 2f, 3f}));
    assertNamesBadRow(msg, "column 'activation' has 3 values, expected 4 like the first valid row");
  }

  @Test
  void givenANullVector_whenTraining_thenExitThreeNamingFileAndRow() {
    String msg = failsWithInvalidInput(threeFilesWithBadRow(null));
    assertNamesBadRow(msg, "column 'activation' is null");
  }

  @Test
  void givenANullElement_whenTraining_thenExitThreeNamingFileRowAndElement() {
    String msg = failsWithInvalidInput(threeFilesWithBadRow(new Float[] {1f, 2f, null, 4f}));
    assertNamesBadRow(msg, "column 'activation' has a null at element 2");
  }

  @Test
  void givenANaN_whenTraining_thenExitThreeNamingFileRowAndElementAndTheLogHasTheStackTrace()
      throws IOException {
    String msg = failsWithInvalidInput(threeFilesWithBadRow(new Float[] {1f, Float.NaN, 3f, 4f}));
    assertNamesBadRow(msg, "column 'activation' has NaN at element 1");
    // log4j2-test.properties sends the failure logger to this file, as conf/log4j2.properties
    // sends it to bin/sae's log file; the path in msg is unique to this test.
    String log = Files.readString(Path.of("target/test-errors.log"), StandardCharsets.UTF_8);
    int at = log.indexOf("sae train failed (INVALID_INPUT): " + msg);
    assertTrue(at >= 0, "the failure is logged");
    assertTrue(log.indexOf("\tat org.gsae.spark.store.InvalidRows.reject", at) > at,
        "with its stack trace after it");
  }

  @Test
  void givenPlusInfinity_whenTraining_thenExitThreeNamingFileRowAndElement() {
    String msg = failsWithInvalidInput(
        threeFilesWithBadRow(new Float[] {1f, 2f, 3f, Float.POSITIVE_INFINITY}));
    assertNamesBadRow(msg, "column 'activation' has +Infinity at element 3");
  }

  @Test
  void givenMinusInfinity_whenTraining_thenExitThreeNamingFileRowAndElement() {
    String msg = failsWithInvalidInput(
        threeFilesWithBadRow(new Float[] {Float.NEGATIVE_INFINITY, 2f, 3f, 4f}));
    assertNamesBadRow(msg, "column 'activation' has -Infinity at element 0");
  }

  @Test
  void givenAnEmptyDirectory_whenTraining_thenExitThreeSayingNoParquetFiles() throws IOException {
    Files.createDirectories(store());
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("no Parquet (*.parquet) files found under the input path (no data files"
        + " at all) (at " + store() + ")"), msg);
  }

  @Test
  void givenOnlyZeroRowFiles_whenTraining_thenExitThreeSayingTheStoreHasNoRows() {
    StoreFiles.floats(store().resolve("a.parquet"), 0, List.of());
    StoreFiles.floats(store().resolve("b.parquet"), 0, List.of());
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("the activation store has no rows (2 Parquet file(s), all empty) (at "
        + store() + ")"), msg);
  }

  @Test
  void givenFilesWithDifferentSchemas_whenTraining_thenExitThreeNamingBothFilesAndTypes() {
    StoreFiles.floats(store().resolve("a.parquet"), 0, validRows(0, 10));
    StoreFiles.doubles(store().resolve("b.parquet"), 10, 10);
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("the store's files have different schemas: column 'activation' is "
        + "array<float> in file:"), msg);
    assertTrue(msg.contains("/store/a.parquet but array<double> in file:")
        && msg.contains("/store/b.parquet"), msg);
  }

  /**
   * The store reader answers a path that matches nothing with INVALID_INPUT (3), not IO (4):
   * nothing failed while talking to storage; the configured input.path names no data, which
   * is the same user mistake as a directory without Parquet files (and is fixed the same
   * way). IO is kept for storage that fails while being read.
   */
  @Test
  void givenAPathThatDoesNotExist_whenTraining_thenExitThreeSayingSo() {
    String missing = tmp.resolve("no-such-store").toString();
    String msg = failsWithInvalidInput(missing);
    assertTrue(msg.startsWith("the input path does not exist (at " + missing + ")"), msg);
  }

  @Test
  void givenANonParquetFileAmongParquetFiles_whenTraining_thenExitThreeNamingThatFile()
      throws IOException {
    StoreFiles.floats(store().resolve("a.parquet"), 0, validRows(0, 10));
    Files.write(store().resolve("b.parquet"), "example_id,activation\n0,\"1,2,3,4\"\n"
        .getBytes(StandardCharsets.UTF_8));
    String msg = failsWithInvalidInput(store().toString());
    assertTrue(msg.startsWith("file is not a readable Parquet file ("), msg);
    assertTrue(msg.contains("/store/b.parquet)") && msg.contains("point input.path at Parquet"), msg);
  }
}
