package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.DOUBLES;
import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.VECTOR;
import static org.gsae.spark.store.StoreFixtures.row;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;

/**
 * The direct column reader against an independent one: Spark's own Parquet scan with
 * {@link ActivationDecoder} on its rows (the path gsae packed with before). For every type,
 * for Parquet list layouts Spark does not write, over files of many small row groups and
 * pages, and for every range start (so skipping into a row group is covered), each row must
 * come out with the same values, or as invalid with the same message.
 */
class StoreColumnReaderTest {
  @TempDir
  Path tmp;

  /** Row {@code g}'s value in a random store: valid, or one of the invalid kinds. */
  private static Object randomCell(SplittableRandom rnd, String type, int width) {
    int kind = rnd.nextInt(12);
    int n = kind == 0 ? 0 : kind == 1 ? width + 1 : width;
    if (kind == 2) {
      return null;
    }
    if (type.equals("vector")) {
      double[] d = new double[n];
      for (int j = 0; j < n; j++) {
        d[j] = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble(-3, 3);
      }
      if (kind == 3) {
        d[n - 1] = Double.NaN;
      }
      return rnd.nextBoolean() ? Vectors.dense(d) : Vectors.dense(d).toSparse();
    }
    List<Object> values = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      double v = rnd.nextDouble(-3, 3);
      values.add(type.equals("float") ? (Object) (float) v : (Object) v);
    }
    if (kind == 3) {
      values.set(n / 2, null);
    } else if (kind == 4) {
      values.set(0, type.equals("float") ? (Object) Float.POSITIVE_INFINITY : (Object) 1e300);
    }
    return values;
  }

  @Test
  void givenSparkWrittenStoresOfEveryType_whenReadFromEveryStart_thenRowsMatchSparksScan()
      throws IOException {
    for (String type : List.of("float", "double", "vector")) {
      String dir = tmp.resolve(type).toString();
      SplittableRandom rnd = new SplittableRandom(type.hashCode());
      long g = 0;
      for (int f = 0; f < 3; f++) {
        List<Row> rows = new ArrayList<>();
        int count = f == 1 ? 0 : 40 + 17 * f;
        for (int i = 0; i < count; i++, g++) {
          rows.add(row(g, randomCell(rnd, type, 5)));
        }
        writeFile(dir + "/part-" + f + ".parquet", schema("activation",
            type.equals("float") ? FLOATS : type.equals("double") ? DOUBLES : VECTOR), rows,
            Map.of("parquet.block.size", "600", "parquet.page.size", "128",
                "parquet.enable.dictionary", String.valueOf(f == 0)));
      }
      checkAgainstSpark(dir);
    }
  }

  /**
   * Layouts from other writers (parquet-mr's own, legacy two-level lists, required elements
   * and columns), written with parquet-mr's example writer: one file with dictionary-encoded
   * version-1 pages, one with version-2 pages.
   */
  @Test
  void givenOtherListLayouts_whenRead_thenRowsMatchSparksScan() throws IOException {
    String[] schemas = {
        "message m { optional group activation (LIST) { repeated float array; } }",
        "message m { required group activation (LIST) {"
            + " repeated group list { required float element; } } }",
        "message m { optional group activation (LIST) {"
            + " repeated group bag { optional double array_element; } } }",
        "message m { required int64 id; repeated float activation; }"};
    for (int s = 0; s < schemas.length; s++) {
      MessageType schema = MessageTypeParser.parseMessageType(schemas[s]);
      String dir = tmp.resolve("layout-" + s).toString();
      SplittableRandom rnd = new SplittableRandom(s);
      for (int f = 0; f < 2; f++) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir + "/f-" + f + ".parquet");
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema)
            .withConf(new Configuration()).withRowGroupSize(512).withPageSize(64)
            .withDictionaryEncoding(f == 0)
            .withWriterVersion(f == 0 ? WriterVersion.PARQUET_1_0 : WriterVersion.PARQUET_2_0)
            .build()) {
          SimpleGroupFactory groups = new SimpleGroupFactory(schema);
          for (int r = 0; r < 50; r++) {
            w.write(randomGroup(groups.newGroup(), schemas[s], rnd));
          }
        }
      }
      checkAgainstSpark(dir);
    }
  }

  /**
   * Vector structs Spark's own API refuses to build (an index outside the size, indices and
   * values of different lengths, an unknown type), written with parquet-mr under Spark's
   * schema metadata so the store reads as a {@code Vector} column: each is an invalid row
   * with a message, the valid rows around them read as Spark reads them.
   */
  @Test
  void givenMalformedVectorStructs_whenRead_thenEachIsAnInvalidRowWithAMessage()
      throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType("message spark_schema {"
        + " optional group activation { required int32 type (INTEGER(8,true)); optional int32 size;"
        + " optional group indices (LIST) { repeated group list { required int32 element; } }"
        + " optional group values (LIST) { repeated group list { required double element; } } } }");
    String sparkSchema = new org.apache.spark.sql.types.StructType()
        .add("activation", VECTOR).json();
    String dir = tmp.resolve("malformed").toString();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir + "/v.parquet");
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema)
        .withConf(new Configuration())
        .withExtraMetaData(Map.of("org.apache.spark.sql.parquet.row.metadata", sparkSchema))
        .build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      w.write(vector(groups, 1, null, null, new double[] {1, 2, 3}));        // dense, valid
      w.write(vector(groups, 0, 3, new int[] {0, 7}, new double[] {1, 2})); // index 7 >= 3
      w.write(vector(groups, 0, 3, new int[] {0, 1}, new double[] {1}));    // 2 indices, 1 value
      w.write(vector(groups, 5, 3, null, new double[] {1, 2, 3}));          // unknown type
      w.write(vector(groups, 0, 3, new int[] {2}, new double[] {4}));       // sparse, valid
    }
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir))) {
      assertEquals(ActivationType.ML_VECTOR, store.activationType());
      String[] problems = new String[5];
      float[][] rows = new float[5][];
      try (StoreColumnReader reader = new StoreColumnReader(store.files(), new Configuration(),
          "activation", ActivationType.ML_VECTOR, 0, 5)) {
        for (int r = 0; r < 5; r++) {
          assertTrue(reader.next());
          problems[r] = reader.problem();
          rows[r] = problems[r] == null ? Arrays.copyOf(reader.values(), reader.width()) : null;
        }
      }
      assertArrayEquals(new float[] {1, 2, 3}, rows[0]);
      assertEquals("column 'activation' is a sparse vector of size 3 with index 7 (position 1),"
          + " outside [0, 3)", problems[1]);
      assertEquals("column 'activation' is not a valid ML vector (type 0, size 3, 2 indices,"
          + " 1 values)", problems[2]);
      assertEquals("column 'activation' is not a valid ML vector (type 5, size 3, no indices,"
          + " 3 values)", problems[3]);
      assertArrayEquals(new float[] {0, 0, 4}, rows[4]);
    }
  }

  private static Group vector(SimpleGroupFactory groups, int type, Integer size, int[] indices,
      double[] values) {
    Group row = groups.newGroup();
    Group v = row.addGroup("activation");
    v.add("type", type);
    if (size != null) {
      v.add("size", size);
    }
    if (indices != null) {
      Group list = v.addGroup("indices");
      for (int i : indices) {
        list.addGroup("list").add("element", i);
      }
    }
    Group list = v.addGroup("values");
    for (double d : values) {
      list.addGroup("list").add("element", d);
    }
    return row;
  }

  private static Group randomGroup(Group g, String schema, SplittableRandom rnd) {
    boolean repeatedLeaf = schema.contains("repeated float activation");
    if (repeatedLeaf) {
      g.add("id", rnd.nextLong());
    }
    int kind = rnd.nextInt(8);
    boolean required = schema.contains("required group activation") || repeatedLeaf;
    if (kind == 0 && !required) {
      return g; // a null column
    }
    int n = kind == 1 ? 0 : kind == 2 ? 3 : 4;
    Group list = repeatedLeaf ? g : g.addGroup("activation");
    boolean nullable = schema.contains("optional double") || schema.contains("optional float");
    for (int j = 0; j < n; j++) {
      if (schema.contains("repeated float array")) {
        list.add("array", (float) rnd.nextDouble(-2, 2));
      } else if (repeatedLeaf) {
        list.add("activation", (float) rnd.nextDouble(-2, 2));
      } else if (schema.contains("bag")) {
        Group e = list.addGroup("bag");
        if (!(nullable && kind == 3 && j == 1)) {
          e.add("array_element", rnd.nextDouble(-2, 2));
        }
      } else {
        list.addGroup("list").add("element", (float) rnd.nextDouble(-2, 2));
      }
    }
    return g;
  }

  /**
   * Every range {@code [start, end)} with {@code end} the store's end and a few shorter ones:
   * each row read directly equals Spark's scan of the same row through
   * {@link ActivationDecoder}: the same values, or the same problem.
   */
  private void checkAgainstSpark(String dir) throws IOException {
    assertPagedWithIndex(dir);
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir))) {
      ActivationType type = store.activationType();
      Map<Long, Object> expected = sparkRows(store);
      assertEquals(store.totalRows(), expected.size(), dir);
      assertTrue(expected.values().stream().anyMatch(v -> v instanceof String), dir);
      assertTrue(expected.values().stream().anyMatch(v -> v instanceof float[]), dir);
      Configuration conf = spark().sparkContext().hadoopConfiguration();
      long total = store.totalRows();
      for (boolean pageIndex : new boolean[] {true, false}) {
      for (long start = 0; start <= total; start++) {
        for (long end : new long[] {total, Math.min(total, start + 7)}) {
          try (StoreColumnReader reader = new StoreColumnReader(store.files(), conf,
              "activation", type, start, end, pageIndex)) {
            for (long id = start; id < end; id++) {
              assertTrue(reader.next(), dir + " [" + start + ", " + end + ") row " + id);
              assertEquals(id, reader.rowId());
              Object want = expected.get(id);
              String at = dir + " row " + id + " from " + start + (pageIndex ? "" : " (no index)");
              if (want instanceof String problem) {
                assertEquals(problem, reader.problem(), at);
              } else {
                assertNull(reader.problem(), at);
                assertArrayEquals((float[]) want,
                    Arrays.copyOf(reader.values(), reader.width()), at);
              }
            }
            assertFalse(reader.next(), dir);
          }
        }
      }
      }
    }
  }

  /** The fixtures have Parquet's page index and several pages a group, so skipping uses it. */
  private static void assertPagedWithIndex(String dir) throws IOException {
    Configuration conf = new Configuration();
    for (org.apache.hadoop.fs.FileStatus f : new org.apache.hadoop.fs.Path(dir)
        .getFileSystem(conf).listStatus(new org.apache.hadoop.fs.Path(dir))) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromStatus(f, conf))) {
        for (BlockMetaData g : r.getRowGroups()) {
          for (ColumnChunkMetaData c : g.getColumns()) {
            if (c.getPath().toDotString().startsWith("activation")) {
              assertTrue(c.getOffsetIndexReference() != null, f.getPath() + " " + c.getPath());
            }
          }
        }
      }
    }
  }

  /** {@code row_id -> float[] or problem} by Spark's scan and {@link ActivationDecoder}. */
  private static Map<Long, Object> sparkRows(ActivationStore store) {
    DecodeRow decode = new DecodeRow(store.activationType());
    List<Tuple2<Long, Object>> rows = store.withRowIds()
        .select(ActivationStore.ROW_ID, "activation").queryExecution().toRdd().toJavaRDD()
        .map(decode::apply).collect();
    Map<Long, Object> out = new TreeMap<>();
    rows.forEach(t -> out.put(t._1(), t._2()));
    return out;
  }

  private record DecodeRow(ActivationType type) implements Serializable {
    Tuple2<Long, Object> apply(InternalRow row) {
      ActivationDecoder decoder = new ActivationDecoder(type, "activation");
      float[] v = decoder.decode(row, 1);
      return new Tuple2<>(row.getLong(0), v == null ? decoder.problem() : v);
    }
  }

  @Test
  void givenAFileRewrittenWithFewerRows_whenRead_thenTheErrorNamesItAndSaysWhy() {
    String dir = tmp.resolve("rewritten").toString();
    writeFile(dir + "/a.parquet", schema("activation", FLOATS), StoreFixtures.rows(0, 6, 3,
        FLOATS));
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir))) {
      writeFile(dir + "/a.parquet.new", schema("activation", FLOATS),
          StoreFixtures.rows(0, 4, 3, FLOATS));
      try {
        org.apache.hadoop.fs.Path a = new org.apache.hadoop.fs.Path(dir + "/a.parquet");
        org.apache.hadoop.fs.FileSystem fs = a.getFileSystem(new Configuration());
        fs.delete(a, false);
        fs.rename(new org.apache.hadoop.fs.Path(dir + "/a.parquet.new"), a);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      StoreColumnReader reader = new StoreColumnReader(store.files(), new Configuration(),
          "activation", ActivationType.FLOAT_ARRAY, 0, 6);
      GsaeException e = assertThrows(GsaeException.class, reader::next);
      assertEquals(ErrorCode.INVALID_INPUT, e.code());
      assertTrue(e.getMessage().startsWith(
          "the file has 4 rows but had 6 when the store was opened"), e.getMessage());
      assertTrue(e.where().endsWith("a.parquet"), e.where());
    }
  }
}
