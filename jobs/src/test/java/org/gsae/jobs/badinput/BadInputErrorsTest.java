package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Silent wrong results, hangs, and failures that used to surface as raw traces or wrong exit
 * codes, each through the CLI: a model with a NaN or an infinity, a damaged data page, values
 * whose squares overflow float32, a FIFO where a file is expected, a symbolic-link cycle in the
 * store, a full disk while writing, an unknown file-system scheme, a number beyond a double.
 */
class BadInputErrorsTest {
  @TempDir
  Path tmp;

  private Path store;

  @BeforeEach
  void store() {
    store = tmp.resolve("store");
    StoreFiles.floats(store.resolve("a.parquet"), 0, StoreFiles.validRows(0, 40));
  }

  @AfterEach
  void forgetTheFullDisk() {
    System.clearProperty("spark.hadoop.fs.full.impl");
  }

  private Path modelWith(String tensor, int index, float value) {
    SaeParameters p = SaeInit.initialize(StoreFiles.D_IN, 8, 7L, null);
    List<Tensor> ts = new ArrayList<>();
    for (String n : SaeParameters.NAMES) {
      float[] v = p.get(n).toFloatArray();
      if (n.equals(tensor)) {
        v[index] = value;
      }
      ts.add(Tensor.of(v, p.get(n).shape()));
    }
    Path dir = tmp.resolve("model-" + tensor + "-" + index);
    ModelDirectory.save(new org.apache.hadoop.fs.Path(dir.toUri()), SaeParameters.fromList(ts),
        ModelInfo.empty());
    return dir;
  }

  @Test
  void givenAModelWithANaNOrAnInfinity_whenAnalysedOrUsedToStart_thenExitThreeNamingTensorAndElement() {
    Path nan = modelWith("W_enc", 9, Float.NaN);   // W_enc [4, 8]: row 1, column 1
    String msg = Cli.run("analyze", "--model", nan.toString(), "--input", store.toString(),
        "--output", tmp.resolve("a").toString()).failedWith(3);
    assertTrue(msg.startsWith("tensor 'W_enc' has NaN at [1, 1] (flat index 9); a model's weights"
        + " must be finite"), msg);
    assertNoOutput(tmp.resolve("a"));
    Path inf = modelWith("b_dec", 2, Float.POSITIVE_INFINITY);
    msg = Cli.train(store.toString(), tmp.resolve("run"), "--set", "model.init_from=" + inf).failedWith(3);
    assertTrue(msg.startsWith("tensor 'b_dec' has Infinity at [2] (flat index 2)"), msg);
    assertNoOutput(tmp.resolve("run"));
  }

  /**
   * The activation column's first page header overwritten; the footer is intact, so only
   * reading that column's pages fails.
   */
  @Test
  void givenADamagedDataPage_whenTraining_thenExitThreeNamingTheFile() throws IOException {
    Path bad = tmp.resolve("bad");
    StoreFiles.floats(bad.resolve("a.parquet"), 0, StoreFiles.validRows(0, 40));
    long start;
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(bad.resolve("a.parquet").toUri()), new Configuration()))) {
      start = r.getFooter().getBlocks().get(0).getColumns().stream()
          .filter(c -> c.getPath().toDotString().startsWith("activation"))
          .findFirst().orElseThrow().getStartingPos();
    }
    byte[] b = Files.readAllBytes(bad.resolve("a.parquet"));
    for (int i = 0; i < 24; i++) {
      b[(int) start + i] = (byte) 0xEE;
    }
    Files.write(bad.resolve("a.parquet"), b);
    // Hadoop's .crc side file notices first...
    String msg = Cli.train(bad.toString(), tmp.resolve("run")).failedWith(3);
    assertTrue(msg.startsWith("the Parquet file is damaged"), msg);
    assertTrue(msg.contains("ChecksumException") && msg.contains("a.parquet"), msg);
    assertTrue(msg.contains("Fix: restore the file from its source"), msg);
    assertNoOutput(tmp.resolve("run"));
    // ...and without it, Parquet's own decoding fails on the page.
    Files.delete(bad.resolve(".a.parquet.crc"));
    msg = Cli.train(bad.toString(), tmp.resolve("run")).failedWith(3);
    assertTrue(msg.contains("a.parquet"), msg);
    assertTrue(msg.startsWith("the Parquet file is damaged") || msg.startsWith("file is not a readable Parquet file"), msg);
    assertNoOutput(tmp.resolve("run"));
  }

  @Test
  void givenValuesWhoseSquaresOverflowFloat32_whenTraining_thenExitThreeSayingToRescale() {
    Path big = tmp.resolve("big");
    List<Float[]> rows = StoreFiles.validRows(0, 40);
    rows.set(7, new Float[] {1e30f, 0f, 0f, 0f});
    StoreFiles.floats(big.resolve("a.parquet"), 0, rows);
    String msg = Cli.train(big.toString(), tmp.resolve("run")).failedWith(3);
    assertTrue(msg.contains("has values too large for float32 arithmetic: the row's squared norm is"
        + " 1.00e+60 (largest 1.0E30 at element 0)"), msg);
    assertTrue(msg.contains("row 7"), msg);
    assertTrue(msg.contains("rescale the activations"), msg);
    // With skip the row is dropped and counted, like any invalid row.
    Cli.Result r = Cli.train(big.toString(), tmp.resolve("run2"), "--set", "input.on_invalid=skip",
        "--set", "analyze.after_train=false");
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().contains("1 invalid rows skipped"), r.stdout());
  }

  @Test
  void givenAFifoWhereTheWeightsShouldBe_whenLoading_thenExitThreeWithinSeconds() throws Exception {
    Path model = ModelFiles.save(tmp.resolve("model"), StoreFiles.D_IN, 8);
    Files.delete(ModelFiles.weights(model));
    mkfifo(ModelFiles.weights(model));
    String msg = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Cli.run("analyze",
        "--model", model.toString(), "--input", store.toString(), "--output",
        tmp.resolve("a").toString()).failedWith(3));
    assertTrue(msg.startsWith("sae_weights.safetensors is not a regular file"), msg);
  }

  @Test
  void givenAFifoAndASymlinkCycleInTheStore_whenListing_thenErrorsOrEndsWithinSeconds()
      throws Exception {
    Files.createSymbolicLink(store.resolve("loop"), store);
    Files.createDirectories(store.resolve("sub"));
    Files.createSymbolicLink(store.resolve("sub/up"), store.resolve("sub"));
    Cli.Result r = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> Cli.train(store.toString(), tmp.resolve("run"), "--set", "analyze.after_train=false"));
    assertEquals(0, r.code(), "a cycle is listed once: " + r.stderr());
    assertTrue(r.stdout().contains("40 rows"), r.stdout());

    mkfifo(store.resolve("pipe.parquet"));
    String msg = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> Cli.train(store.toString(), tmp.resolve("run3")).failedWith(3));
    assertTrue(msg.startsWith("the store holds an entry that is not a regular file"), msg);
    assertTrue(msg.contains("pipe.parquet"), msg);
  }

  /**
   * A disk that fills while the run writes its outputs (a file system that fails like Hadoop's
   * local one on a full disk): exit 4 naming the path, no stack trace, nothing half-written
   * visible.
   */
  @Test
  void givenADiskThatFillsWhileWriting_whenTraining_thenExitFourNamingThePath() {
    System.setProperty("spark.hadoop.fs.full.impl", FullDiskFileSystem.class.getName());
    Path out = tmp.resolve("run");
    String msg = Cli.run("train", "--set", "input.path=" + store, "--set", "output.path=full://" + out,
        "--set", "train.steps=2", "--set", "train.batch_size=8", "--set", "model.d_sae=64",
        "--set", "spark.master=local[2]", "--set", "analyze.after_train=false").failedWith(4);
    assertTrue(msg.startsWith("I/O failure while writing "), msg);
    assertTrue(msg.contains("No space left on device"), msg);
    assertTrue(msg.contains("(at full:" + out + "/"), msg);
    assertTrue(!Files.exists(out.resolve("model")), "no model published");
  }

  @Test
  void givenAnUnknownFileSystemScheme_thenExitTwoSayingWhichSchemes() {
    String msg = Cli.train("hdfz://namenode/acts", tmp.resolve("run")).failedWith(2);
    assertTrue(msg.startsWith("no Hadoop file system for the scheme 'hdfz'"), msg);
    assertTrue(msg.contains("Fix: use a scheme this installation supports"), msg);
  }

  @Test
  void givenANumberBeyondADouble_thenTheMessageSaysOutOfRangeNotWrongType() {
    String msg = Cli.train(store.toString(), tmp.resolve("run"), "--set", "train.lr=1e400").failedWith(2);
    assertTrue(msg.contains("train.lr = Infinity (from --set train.lr) is out of range: a finite"
        + " number"), msg);
    assertTrue(!msg.contains("wrong type"), msg);
  }

  /** A model whose weights cannot fit this JVM's heap: the bytes needed and the setting to change. */
  @Test
  void givenAModelLargerThanTheHeap_whenLoading_thenExitOneWithTheBytesNeeded() throws Exception {
    int dIn = 32_768;
    int dSae = 16_384;
    Path big = ModelFiles.save(tmp.resolve("big"), StoreFiles.D_IN, 8);
    // A cfg.json and a sparse weights file that claim a 1.07-billion-parameter model.
    ModelFiles.editCfg(big, "d_in", "" + dIn);
    ModelFiles.editCfg(big, "d_sae", "" + dSae);
    sparseWeights(ModelFiles.weights(big), dIn, dSae);
    String msg = Cli.run("analyze", "--model", big.toString(), "--input", store.toString(),
        "--output", tmp.resolve("a").toString()).failedWith(1);
    long need = 4L * (2L * dIn * dSae + 3L * dSae + dIn);
    assertTrue(msg.startsWith("the model's weights need " + need + " bytes (d_in=32768, d_sae=16384)"
        + " but this JVM's heap is at most " + Runtime.getRuntime().maxMemory() + " bytes"), msg);
    assertTrue(msg.contains("-Xmx") && msg.contains("spark.driver.memory"), msg);
  }

  private static void sparseWeights(Path file, int dIn, int dSae) throws IOException {
    String[] names = {"W_enc", "b_gate", "r_mag", "b_mag", "W_dec", "b_dec"};
    long[][] shapes = {{dIn, dSae}, {dSae}, {dSae}, {dSae}, {dSae, dIn}, {dIn}};
    StringBuilder h = new StringBuilder("{");
    long off = 0;
    for (int i = 0; i < names.length; i++) {
      long n = 1;
      for (long d : shapes[i]) {
        n *= d;
      }
      h.append(i == 0 ? "" : ",").append('"').append(names[i]).append("\":{\"dtype\":\"F32\",\"shape\":")
          .append(java.util.Arrays.toString(shapes[i]).replace(" ", "")).append(",\"data_offsets\":[")
          .append(off).append(',').append(off + 4 * n).append("]}");
      off += 4 * n;
    }
    h.append('}');
    while ((8 + h.length()) % 8 != 0) {
      h.append(' ');
    }
    byte[] header = h.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.delete(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toString(), "rw")) {
      byte[] len = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
          .putLong(header.length).array();
      f.write(len);
      f.write(header);
      f.setLength(8 + header.length + off);   // sparse: no data blocks are written
    }
  }

  private static void mkfifo(Path p) throws Exception {
    Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertTrue(proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0, "mkfifo " + p);
  }
}
