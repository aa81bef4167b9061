package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.DOUBLES;
import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.VECTOR;
import static org.gsae.spark.store.StoreFixtures.row;
import static org.gsae.spark.store.StoreFixtures.rows;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.values;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.gsae.spark.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading: the three column types, stable row ids, directory layouts. */
class ActivationStoreReadTest {
  private static final int D_IN = 6;

  @TempDir
  Path tmp;

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  private static DataType type(String name) {
    return switch (name) {
      case "float" -> FLOATS;
      case "double" -> DOUBLES;
      default -> VECTOR;
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"float", "double", "vector"})
  void givenEachColumnType_whenPacked_thenRowsAreTheSameFloats(String typeName) {
    DataType type = type(typeName);
    StructType schema = schema("activation", type);
    List<Row> rows = rows(0, 40, D_IN, type);
    if (type.equals(VECTOR)) {
      // A sparse vector must read as its dense values.
      float[] v = values(40, D_IN);
      rows.add(row(40, Vectors.sparse(D_IN, new int[] {0, 3},
          new double[] {v[0], v[3]})));
    } else {
      rows.add(row(40, StoreFixtures.cell(values(40, D_IN), type)));
    }
    writeFile(dir("s/part-0.parquet"), schema, rows);

    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir("s")));
        PackedStore packed = store.pack(PackOptions.defaults())) {
      assertEquals(ActivationType.of(type).orElseThrow(), store.activationType());
      assertEquals(List.of("example_id", "token"), store.metadataColumns());
      assertEquals(D_IN, packed.dIn());
      assertEquals(41, packed.validRows());
      List<RowBlock> blocks = StoreFixtures.blocksInOrder(packed);
      long g = 0;
      for (RowBlock b : blocks) {
        for (int r = 0; r < b.rows(); r++, g++) {
          assertEquals(g, b.rowIds()[r]);
          float[] expected = values(g, D_IN);
          if (g == 40 && type.equals(VECTOR)) {
            expected = new float[] {expected[0], 0, 0, expected[3], 0, 0};
          }
          assertArrayEquals(expected, b.row(r), "row " + g);
        }
      }
      assertEquals(41, g);
    }
  }

  /**
   * Three files written out of path order, one of them empty, one with many row groups;
   * row_id must be the position in path order, i.e. the fixture's example_id.
   */
  @Test
  void givenSeveralFiles_whenReadTwiceAndWithManySplits_thenRowIdsAreStorePositions() {
    StructType schema = schema("activation", FLOATS);
    Map<String, String> smallRowGroups = Map.of("parquet.block.size", "2048",
        "parquet.page.size", "512");
    // Path order: a (300 rows, many row groups), b (empty), c (25 rows).
    writeFile(dir("m/c.parquet"), schema, rows(300, 25, D_IN, FLOATS));
    writeFile(dir("m/b.parquet"), schema, List.of());
    writeFile(dir("m/a.parquet"), schema, rows(0, 300, D_IN, FLOATS), smallRowGroups);
    assertTrue(rowGroups(dir("m/a.parquet")) > 1, "fixture should have several row groups");

    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir("m")))) {
      assertEquals(3, store.files().files());
      assertEquals(325, store.totalRows());
      assertTrue(store.files().path(0).endsWith("/m/a.parquet"), store.files().path(0));
      assertTrue(store.files().path(2).endsWith("/m/c.parquet"), store.files().path(2));
      Map<Long, Long> first = rowIdByExample(store);
      assertEquals(325, first.size());
      first.forEach((example, rowId) -> assertEquals(example, rowId));
      assertEquals(first, rowIdByExample(store), "second run");

      // Tiny splits: the 300-row file is read by several tasks.
      SparkTestSession.withSqlConf("spark.sql.files.maxPartitionBytes", "1024", () -> {
        try (ActivationStore split = ActivationStore.open(spark(), InputConfig.of(dir("m")))) {
          int tasks = split.withRowIds().rdd().getNumPartitions();
          assertTrue(tasks > 3, "expected the scan split into more tasks than files, got " + tasks);
          assertEquals(first, rowIdByExample(split));
          checkSourceColumns(split);
        }
      });
    }
  }

  private static int rowGroups(String file) {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file), spark().sparkContext().hadoopConfiguration()))) {
      return r.getFooter().getBlocks().size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<Long, Long> rowIdByExample(ActivationStore store) {
    Map<Long, Long> out = new HashMap<>();
    for (Row r : store.withRowIds().select("example_id", ActivationStore.ROW_ID).collectAsList()) {
      assertEquals(null, out.put(r.getLong(0), r.getLong(1)), "duplicate example " + r.getLong(0));
    }
    return out;
  }

  private static void checkSourceColumns(ActivationStore store) {
    FileTable files = store.files();
    for (Row r : store.withRowIds().select(ActivationStore.ROW_ID, ActivationStore.SOURCE_FILE,
        ActivationStore.SOURCE_ROW).collectAsList()) {
      long rowId = r.getLong(0);
      int f = files.fileOf(rowId);
      assertEquals(f, files.indexOf(r.getString(1)));
      assertEquals(rowId - files.firstRowId(f), r.getLong(2));
    }
  }

  @Test
  void givenSparkOutputDirectory_whenOpened_thenMarkerAndChecksumFilesAreIgnored() {
    String out = dir("spark-out");
    spark().createDataFrame(rows(0, 50, D_IN, FLOATS), schema("activation", FLOATS))
        .repartition(3).write().parquet(out);
    // A hidden directory and an underscore file that Spark would also ignore.
    StoreFixtures.writeText(dir("spark-out/_temporary/0/junk.parquet"), "not parquet");
    StoreFixtures.writeText(dir("spark-out/.hidden.parquet"), "not parquet");
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(out));
        PackedStore packed = store.pack(PackOptions.defaults())) {
      assertEquals(3, store.files().files());
      assertEquals(50, packed.validRows());
      List<Long> examples = new ArrayList<>();
      List<Long> rowIds = new ArrayList<>();
      for (Row r : store.withRowIds().orderBy(ActivationStore.ROW_ID)
          .select("example_id", ActivationStore.ROW_ID).collectAsList()) {
        examples.add(r.getLong(0));
        rowIds.add(r.getLong(1));
      }
      // Spark's repartition shuffles rows, so compare to the blocks, not to example_id.
      List<Long> packedIds = new ArrayList<>();
      for (RowBlock b : StoreFixtures.blocksInOrder(packed)) {
        for (int r = 0; r < b.rows(); r++) {
          packedIds.add(b.rowIds()[r]);
          assertArrayEquals(values(examples.get(packedIds.size() - 1), D_IN), b.row(r));
        }
      }
      assertEquals(rowIds, packedIds);
    }
  }

  @Test
  void givenGlobAndPathWithSpace_whenOpened_thenOnlyMatchingFilesAreRead() {
    StructType schema = schema("activation", FLOATS);
    writeFile(dir("g dir/x-1.parquet"), schema, rows(0, 5, D_IN, FLOATS));
    writeFile(dir("g dir/x-2.parquet"), schema, rows(5, 7, D_IN, FLOATS));
    writeFile(dir("g dir/y-1.parquet"), schema, rows(100, 3, D_IN, FLOATS));
    String glob = tmp.resolve("g dir").toString() + "/x-*.parquet";
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(glob),
        OptionalInt.of(D_IN))) {
      assertEquals(2, store.files().files());
      assertEquals(12, store.totalRows());
      rowIdByExample(store).forEach((example, rowId) -> assertEquals(example, rowId));
    }
  }
}
