package org.gsae.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.example.data.Group;
import org.apache.spark.sql.SparkSession;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.RunnerProvider;
import org.gsae.testing.ParquetTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sae import-idx} on hand-made IDX files: the store's rows, and its refusals. */
class ImportIdxEndToEndTest {
  @TempDir static Path dir;
  static SparkSession spark;
  private String stderr;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("gsae import-idx")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private int sae(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(RunnerProvider.DEFAULT, new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
        .run(args);
    stderr = err.toString(StandardCharsets.UTF_8);
    return code;
  }

  private static Path idx(String name, int magic, int[] dims, byte[] body) throws IOException {
    Path p = dir.resolve(name);
    try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(p)))) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(body);
    }
    return p;
  }

  @Test
  void writesOneRowPerImageWithLabelsInOrderAndRefusesMismatches() throws IOException {
    // Three 2x2 images: image i has every pixel 50 * (i + 1); labels 2, 0, 1.
    byte[] px = new byte[12];
    for (int i = 0; i < 12; i++) {
      px[i] = (byte) (50 * (i / 4 + 1));
    }
    Path images = idx("images.gz", 0x803, new int[] {3, 2, 2}, px);
    Path labels = idx("labels.gz", 0x801, new int[] {3}, new byte[] {2, 0, 1});
    Path store = dir.resolve("store");
    assertEquals(0, sae("import-idx", "--images", images.toUri().toString(), "--labels",
        labels.toUri().toString(), "--output", store.toUri().toString(), "--label-names",
        "zero,one,two", "--files", "2"), stderr);

    List<Group> rows = new java.util.ArrayList<>(ParquetTables.read(store));
    assertEquals(3, rows.size());
    rows.sort((a, b) -> Long.compare(a.getLong("image_id", 0), b.getLong("image_id", 0)));
    String[] names = {"two", "zero", "one"};
    for (int i = 0; i < 3; i++) {
      Group g = rows.get(i);
      assertEquals(i, g.getLong("image_id", 0));
      assertEquals(new int[] {2, 0, 1}[i], g.getInteger("label", 0));
      assertEquals(names[i], g.getString("label_name", 0));
      float v = 50f * (i + 1) / 255f;
      assertArrayEquals(new float[] {v, v, v, v}, ParquetTables.floats(g, "activation"), 1e-7f);
    }

    // An existing output is never replaced; the store stays as it was.
    assertEquals(2, sae("import-idx", "--images", images.toUri().toString(), "--labels",
        labels.toUri().toString(), "--output", store.toUri().toString()));
    assertTrue(stderr.contains("already exists"), stderr);
    assertEquals(3, ParquetTables.read(store).size());

    // Two labels for three images, and a label without a name: invalid input, nothing written.
    Path two = idx("two.gz", 0x801, new int[] {2}, new byte[] {0, 1});
    assertEquals(3, sae("import-idx", "--images", images.toUri().toString(), "--labels",
        two.toUri().toString(), "--output", dir.resolve("bad1").toUri().toString()));
    assertTrue(stderr.contains("3 images but") && stderr.contains("2 labels"), stderr);
    assertEquals(3, sae("import-idx", "--images", images.toUri().toString(), "--labels",
        labels.toUri().toString(), "--output", dir.resolve("bad2").toUri().toString(),
        "--label-names", "zero,one"));
    assertTrue(stderr.contains("label 2") && stderr.contains("--label-names"), stderr);
    assertFalse(Files.exists(dir.resolve("bad1")) || Files.exists(dir.resolve("bad2")));
    // Images and labels swapped: the magic number says which file is which.
    assertEquals(3, sae("import-idx", "--images", labels.toUri().toString(), "--labels",
        images.toUri().toString(), "--output", dir.resolve("bad3").toUri().toString()));
    assertTrue(stderr.contains("not an IDX images file"), stderr);
  }
}
