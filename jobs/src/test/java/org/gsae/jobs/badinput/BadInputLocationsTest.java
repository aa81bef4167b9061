package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.gsae.jobs.badinput.Cli.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output locations that would lose or pollute data, through the CLI end to end: an input inside
 * an output (or the other way round) is refused before any work, for every command; a
 * directory gsae would replace is replaced only when it holds nothing gsae did not write; an
 * unwritable output and a store the after-train analysis could not write are found before
 * training; a later successful run removes the temporaries a killed run left.
 */
class BadInputLocationsTest {
  @TempDir
  Path tmp;

  private Path store;
  private Path model;

  @BeforeEach
  void storeAndModel() {
    store = tmp.resolve("store");
    StoreFiles.floats(store.resolve("a.parquet"), 0, StoreFiles.validRows(0, 40));
    model = ModelFiles.save(tmp.resolve("model"), StoreFiles.D_IN, 8);
  }

  @Test
  void givenTheStoreInsideTheOutput_whenTraining_thenRefusedAndTheStoreKept() {
    Path out = tmp.resolve("run");
    Path inner = out.resolve("model");
    StoreFiles.floats(inner.resolve("acts.parquet"), 0, StoreFiles.validRows(0, 40));
    Map<String, String> before = snapshot(out);
    String msg = Cli.train(inner.toString(), out).failedWith(2);
    assertTrue(msg.startsWith("input.path = '" + inner + "' is inside output.path = '" + out + "'"), msg);
    assertTrue(msg.contains("Fix: choose an output.path outside input.path"), msg);
    assertEquals(before, snapshot(out), "the store, byte for byte");
  }

  @Test
  void givenTheOutputInsideTheStore_whenTraining_thenRefusedAndNothingWritten() {
    Map<String, String> before = snapshot(store);
    String msg = Cli.train(store.toString(), store.resolve("run")).failedWith(2);
    assertTrue(msg.startsWith("output.path = '" + store.resolve("run") + "' is inside input.path"), msg);
    assertEquals(before, snapshot(store));
  }

  @Test
  void givenAGlobInputAndAnOutputUnderItsDirectory_whenTraining_thenRefused() {
    String msg = Cli.train(store + "/*.parquet", store.resolve("run")).failedWith(2);
    assertTrue(msg.contains("is inside input.path"), msg);
  }

  @Test
  void givenAnalyzeOrEncodeWritingIntoTheStore_thenRefusedAndTheStoreKept() {
    Map<String, String> before = snapshot(store);
    String msg = Cli.run("analyze", "--model", model.toString(), "--input", store.toString(),
        "--output", store.resolve("analysis").toString()).failedWith(2);
    assertTrue(msg.startsWith("--output = '" + store.resolve("analysis") + "' is inside --input"), msg);
    msg = Cli.run("encode", "--model", model.toString(), "--input", store.toString(),
        "--output", store.toString()).failedWith(2);
    assertTrue(msg.contains("'" + store + "' is the same location as --input"), msg);
    msg = Cli.run("encode", "--model", model.toString(), "--input", store.resolve("a.parquet").toString(),
        "--output", tmp.toString()).failedWith(2);
    assertTrue(msg.contains("is inside --output"), msg);
    assertEquals(before, snapshot(store));
  }

  @Test
  void givenAModelDirectoryWithAFileGsaeDidNotWrite_whenTrainingInto_thenRefusedAndTheFileKept()
      throws IOException {
    Path out = tmp.resolve("run");
    Files.createDirectories(out);
    ModelFiles.save(out.resolve("model"), StoreFiles.D_IN, 8);
    Files.writeString(out.resolve("model/notes.txt"), "mine", StandardCharsets.UTF_8);
    Map<String, String> before = snapshot(out);
    String msg = Cli.train(store.toString(), out).failedWith(2);
    assertTrue(msg.startsWith("the earlier train model output also holds 1 entry gsae did not write"
        + " (notes.txt); refusing to replace it"), msg);
    assertEquals(before, snapshot(out));
  }

  @Test
  void givenAnAnalysisDirectoryWithAForeignFile_whenAnalysingInto_thenRefusedAndTheFileKept()
      throws IOException {
    Path out = tmp.resolve("analysis");
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary.json"), "{}", StandardCharsets.UTF_8);
    Files.writeString(out.resolve("thesis.tex"), "mine", StandardCharsets.UTF_8);
    String msg = Cli.run("analyze", "--model", model.toString(), "--input", store.toString(),
        "--output", out.toString()).failedWith(2);
    assertTrue(msg.contains("holds 1 entry gsae did not write (thesis.tex)"), msg);
    assertTrue(Files.exists(out.resolve("thesis.tex")));
  }

  /** Even root cannot create a file under /proc: found before the store is read. */
  @Test
  void givenAnUnwritableOutput_whenTraining_thenExitFourBeforeAnyWork() {
    String msg = Cli.train(store.toString(), Path.of("/proc/gsae-no-such-output")).failedWith(4);
    assertTrue(msg.startsWith("I/O failure while probing that output.path is writable"), msg);
  }

  /** The after-train analysis would add a 'rank' column: found before training, nothing written. */
  @Test
  void givenAStoreWhoseColumnsClashWithTheAnalysis_whenTraining_thenRefusedBeforeTraining() {
    Path clash = tmp.resolve("clash");
    StoreFiles.floatsWithColumn(clash.resolve("a.parquet"), "rank", 40);
    Path out = tmp.resolve("run");
    String msg = Cli.train(clash.toString(), out).failedWith(3);
    assertTrue(msg.startsWith("the store has metadata column(s) 'rank'"), msg);
    assertNoOutput(out);
    // Without the analysis after training the same store trains.
    assertEquals(0, Cli.train(clash.toString(), out, "--set", "analyze.after_train=false").code());
  }

  /**
   * Temporaries a killed run left (a model being written, a checkpoint being written) are
   * removed by the next run that holds the output's lock; a model moved aside by a run that died
   * between its two renames is put back, never deleted.
   */
  @Test
  void givenTemporariesOfAKilledRun_whenTheNextRunSucceeds_thenTheyAreGoneAndTheOldModelRestored()
      throws IOException {
    Path out = tmp.resolve("run");
    Files.createDirectories(out.resolve("checkpoints/.step-0000000001.tmp-1234"));
    Files.createDirectories(out.resolve(".model.tmp-abcd"));
    Files.writeString(out.resolve(".model.tmp-abcd/cfg.json"), "{}");
    Files.createDirectories(out.resolve(".metrics.parquet.tmp-ef01"));
    Files.createDirectories(out.resolve(".someone-elses.tmp-9999"));
    ModelFiles.save(out.resolve(".model.old-5678"), StoreFiles.D_IN, 8);
    assertEquals(0, Cli.train(store.toString(), out, "--set", "analyze.after_train=false").code());
    assertFalse(Files.exists(out.resolve("checkpoints/.step-0000000001.tmp-1234")));
    assertFalse(Files.exists(out.resolve(".model.tmp-abcd")));
    assertFalse(Files.exists(out.resolve(".metrics.parquet.tmp-ef01")));
    assertFalse(Files.exists(out.resolve(".model.old-5678")), "restored as model/, then replaced");
    assertTrue(Files.exists(out.resolve(".someone-elses.tmp-9999")), "not a name train writes");
    assertTrue(Files.exists(out.resolve("model/sae_weights.safetensors")));
  }

  /** encode and analyze clean their own temporaries the same way, and only theirs. */
  @Test
  void givenTemporariesOfAKilledEncode_whenTheNextEncodeSucceeds_thenTheyAreGone() throws IOException {
    Path out = tmp.resolve("codes");
    Files.createDirectories(tmp.resolve(".codes.tmp-dead"));
    Files.createDirectories(tmp.resolve(".analysis.tmp-other"));
    assertEquals(0, Cli.run("encode", "--model", model.toString(), "--input", store.toString(),
        "--output", out.toString()).code());
    assertFalse(Files.exists(tmp.resolve(".codes.tmp-dead")));
    assertTrue(Files.exists(tmp.resolve(".analysis.tmp-other")), "another output's temporary");
    assertFalse(Files.exists(tmp.resolve(".codes.gsae-lock")), "the lock is released");
  }

  /** shuffle through the CLI: a copy with the same rows, and the same location rules. */
  @Test
  void givenShuffle_whenRun_thenItCopiesAndRefusesToWriteIntoTheStore() {
    Path out = tmp.resolve("shuffled");
    Cli.Result r = Cli.run("shuffle", "--input", store.toString(), "--output", out.toString(),
        "--files", "3", "--seed", "5");
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().startsWith("shuffle: done") && r.stdout().contains("40 rows"), r.stdout());
    assertTrue(Files.exists(out.resolve("_gsae_shuffle.json")));
    String msg = Cli.run("shuffle", "--input", store.toString(), "--output",
        store.resolve("copy").toString()).failedWith(2);
    assertTrue(msg.contains("is inside --input"), msg);
  }
}
