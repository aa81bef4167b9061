package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.DOUBLES;
import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.rows;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything {@link ActivationStore#open} rejects on the driver, before any Spark job. */
class ActivationStoreOpenErrorsTest {
  private static final int D_IN = 4;

  @TempDir
  Path tmp;

  private String dir(String name) {
    return tmp.resolve(name).toString();
  }

  private GsaeException openFails(String path) {
    return openFails(InputConfig.of(path));
  }

  private GsaeException openFails(InputConfig config) {
    SparkContext sc = spark().sparkContext();
    String group = "open-errors-" + config.path();
    sc.setJobGroup(group, "jobs started by ActivationStore.open", false);
    GsaeException e;
    try {
      e = assertThrows(GsaeException.class, () -> ActivationStore.open(spark(), config).close());
    } finally {
      sc.clearJobGroup();
    }
    assertEquals(ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
    try {
      sc.listenerBus().waitUntilEmpty(30_000); // job events reach the status store asynchronously
    } catch (TimeoutException t) {
      throw new AssertionError(t);
    }
    assertEquals(0, sc.statusTracker().getJobIdsForGroup(group).length,
        "open must not run a Spark job");
    assertTrue(e.fix() != null && !e.fix().isEmpty(), "a fix is suggested");
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "expected '" + p + "' in: " + message);
    }
  }

  @Test
  void givenMissingPath_whenOpened_thenSaysItDoesNotExist() {
    GsaeException e = openFails(dir("nope/store.parquet"));
    assertContains(e.getMessage(), "does not exist", dir("nope/store.parquet"));
  }

  @Test
  void givenGlobMatchingNothing_whenOpened_thenSaysSo() {
    writeFile(dir("d/a.parquet"), schema("activation", FLOATS), rows(0, 3, D_IN, FLOATS));
    GsaeException e = openFails(dir("d/*.csv"));
    assertContains(e.getMessage(), "glob matches no file", dir("d/*.csv"));
  }

  @Test
  void givenEmptyDirectory_whenOpened_thenSaysNoParquetFiles() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    GsaeException e = openFails(dir("empty"));
    assertContains(e.getMessage(), "no Parquet", "no data files", dir("empty"));
  }

  @Test
  void givenDirectoryOfCsv_whenOpened_thenNamesAFileFound() {
    StoreFixtures.writeText(dir("csv/data.csv"), "a,b\n1,2\n");
    StoreFixtures.writeText(dir("csv/_SUCCESS"), "");
    GsaeException e = openFails(dir("csv"));
    assertContains(e.getMessage(), "no Parquet", "1 other file", "data.csv");
  }

  @Test
  void givenNonParquetFileAmongParquetFiles_whenOpened_thenNamesIt() {
    writeFile(dir("mix/a.parquet"), schema("activation", FLOATS), rows(0, 3, D_IN, FLOATS));
    StoreFixtures.writeText(dir("mix/b.parquet"), "this is not parquet at all");
    GsaeException e = openFails(dir("mix"));
    assertContains(e.getMessage(), "not a readable Parquet file", "mix/b.parquet");
    assertContains(e.where(), "mix/b.parquet");
  }

  @Test
  void givenExplicitCsvFile_whenOpened_thenSaysNotParquet() {
    StoreFixtures.writeText(dir("x/data.csv"), "a,b\n1,2\n");
    GsaeException e = openFails(dir("x/data.csv"));
    assertContains(e.getMessage(), "not a readable Parquet file", "data.csv");
  }

  @Test
  void givenFilesWithDifferentSchemas_whenOpened_thenNamesBothFilesAndTypes() {
    writeFile(dir("diff/a.parquet"), schema("activation", FLOATS), rows(0, 3, D_IN, FLOATS));
    writeFile(dir("diff/b.parquet"), schema("activation", DOUBLES), rows(3, 3, D_IN, DOUBLES));
    GsaeException e = openFails(dir("diff"));
    assertContains(e.getMessage(), "different schemas", "'activation'", "array<float>",
        "array<double>", "diff/a.parquet", "diff/b.parquet");
  }

  @Test
  void givenFileWithExtraColumn_whenOpened_thenNamesTheColumn() {
    writeFile(dir("extra/a.parquet"), schema("activation", FLOATS), rows(0, 3, D_IN, FLOATS));
    StructType wider = schema("activation", FLOATS).add("doc_id", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    for (Row r : rows(3, 2, D_IN, FLOATS)) {
      rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), 7));
    }
    writeFile(dir("extra/b.parquet"), wider, rows);
    GsaeException e = openFails(dir("extra"));
    assertContains(e.getMessage(), "'doc_id'", "int", "missing in", "extra/a.parquet",
        "extra/b.parquet");
  }

  @Test
  void givenOnlyZeroRowFiles_whenOpened_thenSaysNoRows() {
    writeFile(dir("zero/a.parquet"), schema("activation", FLOATS), List.of());
    writeFile(dir("zero/b.parquet"), schema("activation", FLOATS), List.of());
    GsaeException e = openFails(dir("zero"));
    assertContains(e.getMessage(), "no rows", "2 Parquet file(s)", dir("zero"));
  }

  @Test
  void givenMissingActivationColumn_whenOpened_thenListsAvailableColumns() {
    writeFile(dir("col/a.parquet"), schema("acts", FLOATS), rows(0, 3, D_IN, FLOATS));
    GsaeException e = openFails(dir("col"));
    assertContains(e.getMessage(), "'activation' not found", "example_id (bigint)",
        "token (string)", "acts (array<float>)");
  }

  @Test
  void givenColumnDifferingInCase_whenOpened_thenSuggestsTheName() {
    writeFile(dir("case/a.parquet"), schema("Activation", FLOATS), rows(0, 3, D_IN, FLOATS));
    GsaeException e = openFails(dir("case"));
    assertContains(e.getMessage(), "case-sensitive", "'Activation'");
  }

  @Test
  void givenStringIntOrIntArrayColumn_whenOpened_thenNamesColumnFoundAndAcceptedTypes() {
    Object[][] cases = {
        {DataTypes.StringType, "1,2,3,4", "string"},
        {DataTypes.IntegerType, 5, "int"},
        {DataTypes.createArrayType(DataTypes.IntegerType), List.of(1, 2, 3, 4), "array<int>"},
    };
    int k = 0;
    for (Object[] c : cases) {
      String path = dir("type" + k++ + "/a.parquet");
      writeFile(path, schema("activation", (DataType) c[0]),
          List.of(RowFactory.create(0L, "t0", c[1])));
      GsaeException e = openFails(path);
      assertContains(e.getMessage(), "column 'activation' has type " + c[2],
          "array<float>", "array<double>", "VectorUDT", "a.parquet");
    }
  }

  @Test
  void givenReservedColumnName_whenOpened_thenAsksToRenameIt() {
    StructType s = schema("activation", FLOATS).add("row_id", DataTypes.LongType);
    List<Row> rows = new ArrayList<>();
    for (Row r : rows(0, 2, D_IN, FLOATS)) {
      rows.add(RowFactory.create(r.get(0), r.get(1), r.get(2), 9L));
    }
    writeFile(dir("res/a.parquet"), s, rows);
    GsaeException e = openFails(dir("res"));
    assertContains(e.getMessage(), "'row_id'", "reserves");
  }

  @Test
  void givenNonPositiveExpectedWidth_whenOpened_thenRejectsTheArgument() {
    assertThrows(IllegalArgumentException.class, () -> ActivationStore.open(spark(),
        InputConfig.of(dir("whatever")), java.util.OptionalInt.of(0)));
  }
}
