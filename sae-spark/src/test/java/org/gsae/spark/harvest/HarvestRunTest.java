package org.gsae.spark.harvest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.error.GsaeException;
import org.gsae.onnx.ModelFiles;
import org.gsae.onnx.OnnxActivationModel;
import org.gsae.onnx.Site;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.demo.EuroparlText;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.InputConfig;
import org.gsae.testing.ParquetTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarvestRunTest {
  private static final Site SITE = Site.of(3, "resid");
  @TempDir
  static Path dir;
  private static List<String> lines;
  private static String textFile;

  @BeforeAll
  static void texts() throws IOException {
    lines = new ArrayList<>(EuroparlText.sentences(40));
    lines.add(7, ""); // an empty line is a text without tokens
    textFile = dir.resolve("texts.txt").toUri().toString();
    Files.write(dir.resolve("texts.txt"), lines, StandardCharsets.UTF_8);
  }

  private static SparkSession spark() {
    return SparkTestSession.get();
  }

  private static HarvestReport harvest(String input, String column, String out, long maxTokens) {
    return new HarvestRun(spark(), new HarvestSpec("minilm-l6", SITE, input, column,
        dir.resolve(out).toUri().toString(), maxTokens, 3)).run();
  }

  @Test
  void everyTokenOfEveryLineInOrderWithTheModelsActivations() {
    HarvestReport r = harvest(textFile, null, "store", 0);
    List<TokenActivations> expected;
    try (OnnxActivationModel m = OnnxActivationModel.open(
        ModelFiles.resolve("minilm-l6", new Configuration()), SITE, 2)) {
      expected = m.activations(lines);
    }
    List<Group> rows = ParquetTables.read(dir.resolve("store"));
    int k = 0;
    for (int doc = 0; doc < lines.size(); doc++) {
      TokenActivations a = expected.get(doc);
      for (int t = 0; t < a.size(); t++, k++) {
        Group g = rows.get(k);
        assertEquals(doc, g.getLong("doc_id", 0), "row " + k);
        assertEquals(a.positions()[t], g.getInteger("position", 0));
        assertEquals(a.tokens()[t], g.getString("token", 0));
        assertEquals(a.context(t, 3), g.getString("context", 0));
        assertArrayEquals(java.util.Arrays.copyOfRange(a.values(), t * 384, (t + 1) * 384),
            ParquetTables.floats(g, "activation"), 1e-4f, "row " + k);
      }
    }
    assertEquals(k, rows.size());
    assertEquals(k, r.tokens());
    assertEquals(lines.size(), r.documents());
    assertEquals(lines.size() - 1, r.harvested());
    assertEquals(384, r.width());
    assertEquals("minilm-l6 layer 3 resid", r.site());
    assertTrue(Files.exists(dir.resolve("store").resolve(HarvestRun.MARKER)));
    // The output is an activation store.
    try (ActivationStore s = ActivationStore.open(spark(),
        InputConfig.of(dir.resolve("store").toUri().toString()), OptionalInt.of(384))) {
      assertEquals(k, s.totalRows());
      assertEquals(List.of("doc_id", "position", "token", "context"), s.metadataColumns());
    }
  }

  @Test
  void theSameInputGivesTheSameRowsAndAnEarlierStoreIsReplacedButNothingElse() throws IOException {
    harvest(textFile, null, "once", 0);
    HarvestReport twice = harvest(textFile, null, "twice", 0);
    List<Group> a = ParquetTables.read(dir.resolve("once"));
    List<Group> b = ParquetTables.read(dir.resolve("twice"));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).toString(), b.get(i).toString(), "row " + i);
    }
    // Harvesting again into a harvested store replaces it.
    assertEquals(twice.tokens(), harvest(textFile, null, "twice", 0).tokens());
    // A directory that is not a harvested store is never replaced.
    Files.createDirectories(dir.resolve("precious"));
    Files.writeString(dir.resolve("precious/notes.txt"), "keep me");
    GsaeException e = assertThrows(GsaeException.class, () -> harvest(textFile, null, "precious", 0));
    assertTrue(e.getMessage().contains("precious"), e.getMessage());
    assertEquals("keep me", Files.readString(dir.resolve("precious/notes.txt")));
  }

  @Test
  void maxTokensKeepsExactlyTheFirstTokensInDocOrder() {
    HarvestReport all = harvest(textFile, null, "all", 0);
    HarvestReport cut = harvest(textFile, null, "cut", 100);
    assertEquals(100, cut.tokens());
    List<Group> a = ParquetTables.read(dir.resolve("all"));
    List<Group> c = ParquetTables.read(dir.resolve("cut"));
    assertEquals(100, c.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(a.get(i).getLong("doc_id", 0), c.get(i).getLong("doc_id", 0));
      assertEquals(a.get(i).getInteger("position", 0), c.get(i).getInteger("position", 0));
      assertArrayEquals(ParquetTables.floats(a.get(i), "activation"),
          ParquetTables.floats(c.get(i), "activation"), 0f, "same batches: same bits");
    }
    assertTrue(all.tokens() > 100);
  }

  @Test
  void parquetTextsCarryTheirMetadata() {
    StructType schema = new StructType().add("speaker", DataTypes.StringType)
        .add("text", DataTypes.StringType).add("year", DataTypes.IntegerType);
    List<Row> rows = List.of(RowFactory.create("A", "Resumption of the session.", 1999),
        RowFactory.create("B", "The vote will take place tomorrow.", 2004));
    String in = dir.resolve("texts.parquet").toUri().toString();
    spark().createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(in);
    harvest(in, "text", "meta", 0);
    List<Group> out = ParquetTables.read(dir.resolve("meta"));
    assertEquals("res", out.get(0).getString("token", 0)); // res ##ump ##tion
    assertEquals("A", out.get(0).getString("speaker", 0));
    assertEquals(1999, out.get(0).getInteger("year", 0));
    Group last = out.get(out.size() - 1);
    assertEquals(1, last.getLong("doc_id", 0));
    assertEquals("B", last.getString("speaker", 0));
    assertEquals("take place tomorrow[[.]]", last.getString("context", 0));
  }

  @Test
  void badInputsAreClearErrorsAndWriteNothing() {
    StructType schema = new StructType().add("text", DataTypes.StringType)
        .add("token", DataTypes.StringType).add("n", DataTypes.IntegerType);
    String in = dir.resolve("bad.parquet").toUri().toString();
    spark().createDataFrame(List.of(RowFactory.create("Hello there.", "x", 1),
        RowFactory.create(null, "y", 2)), schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(in);
    assertMessage(() -> harvest(in, "nope", "bad1", 0), "no column 'nope' (columns: text, token, n)");
    assertMessage(() -> harvest(in, "n", "bad2", 0), "column 'n' is int, expected string");
    assertMessage(() -> harvest(in, "text", "bad3", 0), "the input has a column 'token'");
    String nulls = dir.resolve("nulls.parquet").toUri().toString();
    spark().read().parquet(in).drop("token").write().mode(SaveMode.Overwrite).parquet(nulls);
    assertMessage(() -> harvest(nulls, "text", "bad4", 0),
        "the text column 'text' is null in document 1");
    assertMessage(() -> harvest(dir.resolve("missing.txt").toString(), null, "bad5", 0),
        "no such file or directory");
    assertMessage(() -> new HarvestRun(spark(), new HarvestSpec("minilm-l6", Site.of(9, "resid"),
        textFile, null, dir.resolve("bad6").toString(), 0, 3)).run(), "it has layers 0..5");
    for (String b : List.of("bad1", "bad2", "bad3", "bad4", "bad5", "bad6")) {
      assertFalse(Files.exists(dir.resolve(b)), b);
    }
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable run, String part) {
    GsaeException e = assertThrows(GsaeException.class, run);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
