package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.DOUBLES;
import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.VECTOR;
import static org.gsae.spark.store.StoreFixtures.cell;
import static org.gsae.spark.store.StoreFixtures.row;
import static org.gsae.spark.store.StoreFixtures.rows;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.values;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows validated as read. Fixture: a.parquet holds rows 0..9, b.parquet rows 10..29, width 4;
 * one bad row is row 7 of b.parquet, i.e. row_id 17.
 */
class ActivationStoreValidationTest {
  private static final int D_IN = 4;
  private static final int BAD_ROW_ID = 17;

  @TempDir
  Path tmp;

  /** Writes the two-file store with {@code bad} as the activation of each listed row id. */
  private String store(String name, DataType type, Map<Long, Object> bad) {
    String dir = tmp.resolve(name).toString();
    writeFile(dir + "/a.parquet", schema("activation", type), withBad(0, 10, type, bad));
    writeFile(dir + "/b.parquet", schema("activation", type), withBad(10, 20, type, bad));
    return dir;
  }

  private static List<Row> withBad(long from, int count, DataType type, Map<Long, Object> bad) {
    List<Row> out = new ArrayList<>();
    for (Row r : rows(from, count, D_IN, type)) {
      long g = r.getLong(0);
      out.add(bad.containsKey(g) ? row(g, bad.get(g)) : r);
    }
    return out;
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("null vector", FLOATS, null, "column 'activation' is null"),
        Arguments.of("null element", FLOATS, Arrays.asList(1f, 2f, null, 4f),
            "column 'activation' has a null at element 2"),
        Arguments.of("wrong length", FLOATS, Arrays.asList(1f, 2f, 3f),
            "column 'activation' has 3 values, expected 4 like the first valid row (row 0 of "),
        Arguments.of("empty", FLOATS, List.of(), "column 'activation' is empty (0 values)"),
        Arguments.of("NaN", FLOATS, Arrays.asList(1f, Float.NaN, 3f, 4f),
            "column 'activation' has NaN at element 1"),
        Arguments.of("+Inf", FLOATS, Arrays.asList(1f, 2f, 3f, Float.POSITIVE_INFINITY),
            "column 'activation' has +Infinity at element 3"),
        Arguments.of("-Inf", FLOATS, Arrays.asList(Float.NEGATIVE_INFINITY, 2f, 3f, 4f),
            "column 'activation' has -Infinity at element 0"),
        Arguments.of("double NaN", DOUBLES, Arrays.asList(1.0, 2.0, Double.NaN, 4.0),
            "column 'activation' has NaN at element 2"),
        Arguments.of("double beyond float", DOUBLES, Arrays.asList(1.0, 1e39, 3.0, 4.0),
            "column 'activation' has 1.0E39 at element 1, outside the float32 range"),
        Arguments.of("vector -Inf", VECTOR,
            Vectors.dense(1, 2, Double.NEGATIVE_INFINITY, 4),
            "column 'activation' has -Infinity at element 2"),
        Arguments.of("vector wrong length", VECTOR, Vectors.dense(1, 2, 3, 4, 5),
            "column 'activation' has 5 values, expected 4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void givenOneBadRow_whenPackedWithFail_thenErrorNamesFileRowAndProblem(String name,
      DataType type, Object bad, String problem) {
    Map<Long, Object> badRows = new TreeMap<>();
    badRows.put((long) BAD_ROW_ID, bad); // Map.of rejects the null vector
    String dir = store("fail-" + name.replace(' ', '_'), type, badRows);
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir))) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> store.pack(PackOptions.defaults()).close());
      assertEquals(ErrorCode.INVALID_INPUT, e.code());
      String msg = e.getMessage();
      assertTrue(msg.startsWith(problem), msg);
      assertTrue(e.where().matches("row 7 of file:/.*/b\\.parquet, row_id 17"), e.where());
      assertTrue(msg.contains("input.on_invalid = skip"), msg);
      assertTrue(!msg.contains("\n"), msg);
    }
  }

  @Test
  void givenWrongWidthStartingALaterPartition_whenPackedWithFail_thenThatRowIsNamed() {
    // 30 rows in 4 partitions start at row ids 0, 7, 15, 22: row_id 15 opens partition 2.
    String dir = store("fail-partition", FLOATS, Map.of(15L, Arrays.asList(1f, 2f, 3f)));
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir))) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> store.pack(PackOptions.defaults().withPartitions(4)).close());
      assertTrue(e.where().matches("row 5 of file:/.*/b\\.parquet, row_id 15"), e.where());
      assertTrue(e.getMessage().contains("has 3 values, expected 4 like the first valid row"),
          e.getMessage());
    }
  }

  @Test
  void givenModelWidth_whenRowsAreNarrower_thenFirstRowFailsAgainstDIn() {
    String dir = store("fail-din", FLOATS, Map.of());
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir),
        OptionalInt.of(D_IN + 1))) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> store.pack(PackOptions.defaults().withPartitions(2)).close());
      assertTrue(e.getMessage().startsWith(
          "column 'activation' has 4 values, expected 5 (d_in of the model)"), e.getMessage());
      // The 30 rows in 2 partitions: [0, 15) and [15, 30). Both tasks fail at their first
      // row, and either may be reported first.
      assertTrue(e.where().matches(
          "row (0 of file:/.*/a\\.parquet, row_id 0|5 of file:/.*/b\\.parquet, row_id 15)"),
          e.where());
    }
  }

  @Test
  void givenBadRowsOfEveryKind_whenPackedWithSkip_thenExactlyThoseAreDroppedAndCounted() {
    Map<Long, Object> bad = new TreeMap<>();
    bad.put(0L, null); // the first row: the width must come from row 1
    bad.put(3L, Arrays.asList(1f, null, 3f, 4f));
    bad.put(9L, Arrays.asList(1f, 2f, 3f)); // last row of a.parquet
    bad.put(10L, Arrays.asList(1f, 2f, 3f, 4f, 5f)); // first row of b.parquet
    bad.put(11L, List.of());
    bad.put(17L, Arrays.asList(Float.NaN, 2f, 3f, 4f));
    bad.put(18L, Arrays.asList(1f, Float.POSITIVE_INFINITY, 3f, 4f));
    bad.put(29L, Arrays.asList(1f, 2f, 3f, Float.NEGATIVE_INFINITY));
    String dir = store("skip", FLOATS, bad);
    InputConfig config = new InputConfig(dir, "activation", OnInvalid.SKIP, "MEMORY_ONLY");
    for (int partitions : new int[] {0, 3}) {
      try (ActivationStore store = ActivationStore.open(spark(), config);
          PackedStore packed = store.pack(new PackOptions(partitions, 5))) {
        assertEquals(D_IN, packed.dIn());
        assertEquals(bad.size(), packed.skippedRows());
        assertEquals(30 - bad.size(), packed.validRows());
        List<Long> ids = new ArrayList<>();
        for (RowBlock b : StoreFixtures.blocksInOrder(packed)) {
          for (int r = 0; r < b.rows(); r++) {
            ids.add(b.rowIds()[r]);
            assertArrayEquals(values(b.rowIds()[r], D_IN), b.row(r));
          }
        }
        List<Long> expected = new ArrayList<>();
        for (long g = 0; g < 30; g++) {
          if (!bad.containsKey(g)) {
            expected.add(g);
          }
        }
        assertEquals(expected, ids, "partitions=" + partitions);
      }
    }
  }

  @Test
  void givenOnlyInvalidRows_whenPackedWithSkip_thenNoValidRowError() {
    Map<Long, Object> bad = new TreeMap<>();
    for (long g = 0; g < 30; g++) {
      bad.put(g, g % 2 == 0 ? null : cell(new float[] {Float.NaN, 1, 2, 3}, FLOATS));
    }
    String dir = store("skip-all", FLOATS, bad);
    InputConfig config = new InputConfig(dir, "activation", OnInvalid.SKIP, "MEMORY_ONLY");
    try (ActivationStore store = ActivationStore.open(spark(), config)) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> store.pack(PackOptions.defaults()).close());
      assertEquals(ErrorCode.INVALID_INPUT, e.code());
      assertTrue(e.getMessage().contains("no valid row"), e.getMessage());
    }
    // Every row has the wrong width for the model: the same error, not an empty result.
    try (ActivationStore store = ActivationStore.open(spark(),
        new InputConfig(store("skip-din", FLOATS, Map.of()), "activation", OnInvalid.SKIP,
            "NONE"), OptionalInt.of(3))) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> store.pack(PackOptions.defaults()).close());
      assertTrue(e.getMessage().contains("no valid row"), e.getMessage());
    }
  }
}
