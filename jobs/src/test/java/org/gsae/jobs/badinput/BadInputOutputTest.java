package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that cannot be written, and output that must survive a failed re-run: exit code 4
 * with nothing partial left behind, and an earlier good {@code output.path} byte for byte
 * unchanged after a re-run into it fails.
 */
class BadInputOutputTest {
  @TempDir
  Path tmp;

  private Path store;

  @BeforeEach
  void goodStore() {
    store = tmp.resolve("store");
    StoreFiles.floats(store.resolve("a.parquet"), 0, StoreFiles.validRows(0, 20));
    StoreFiles.floats(store.resolve("b.parquet"), 20, StoreFiles.validRows(20, 20));
  }

  /**
   * Tests run as root, for whom a read-only directory is still writable; a path whose parent
   * is a regular file cannot be created by anyone.
   */
  @Test
  void givenAnOutputPathUnderARegularFile_whenTraining_thenExitFourAndNothingWritten()
      throws IOException {
    Path blocker = tmp.resolve("blocker");
    byte[] content = "not a directory\n".getBytes(StandardCharsets.UTF_8);
    Files.write(blocker, content);
    Path out = blocker.resolve("run");
    List<String> before = listing(tmp);

    String msg = Cli.train(store.toString(), out).failedWith(4);

    // Found before any training: the step that fails is the check, not a checkpoint write.
    assertTrue(msg.startsWith("I/O failure while checking output.path: ParentNotDirectoryException "
        + "file:" + blocker + " is a file, not a directory (at " + out + ")"), msg);
    assertTrue(msg.contains("Fix: check that the path exists, is reachable and is writable"), msg);
    assertArrayEquals(content, Files.readAllBytes(blocker), "the file in the way is untouched");
    assertEquals(before, listing(tmp), "nothing created next to it either");
  }

  @Test
  void givenAnEarlierGoodOutput_whenARerunFailsOnACorruptStore_thenTheOutputIsUntouched() {
    Path out = tmp.resolve("out");
    Cli.Result first = Cli.train(store.toString(), out);
    assertEquals(0, first.code(), first.stderr());
    Map<String, String> good = Cli.snapshot(out);
    assertTrue(good.containsKey("model/sae_weights.safetensors") && good.containsKey("model/cfg.json"),
        good::toString);

    // The store is rewritten with a NaN in row 3 of b.parquet, then the same command re-run.
    List<Float[]> rows = new ArrayList<>(StoreFiles.validRows(20, 20));
    rows.set(3, new Float[] {1f, Float.NaN, 3f, 4f});
    StoreFiles.floats(store.resolve("b.parquet.new"), 20, rows);
    replace(store.resolve("b.parquet.new"), store.resolve("b.parquet"));

    String msg = Cli.train(store.toString(), out).failedWith(3);
    assertTrue(msg.startsWith("column 'activation' has NaN at element 1"), msg);
    assertEquals(good, Cli.snapshot(out), "model, checkpoints and metrics byte for byte unchanged");
  }

  /**
   * The same output.path given a store of another width: the checkpoint there cannot be
   * resumed, which is a usage error (2), and the earlier run's files stay as they were.
   */
  @Test
  void givenAnEarlierGoodOutput_whenARerunUsesAStoreOfAnotherWidth_thenExit2AndOutputUntouched() {
    Path out = tmp.resolve("out");
    assertEquals(0, Cli.train(store.toString(), out).code());
    Map<String, String> good = Cli.snapshot(out);

    Path wider = tmp.resolve("wider");
    List<Float[]> rows = new ArrayList<>();
    for (int g = 0; g < 20; g++) {
      rows.add(new Float[] {1f, 2f, 3f, 4f, (float) g});
    }
    StoreFiles.floats(wider.resolve("a.parquet"), 0, rows);
    String msg = Cli.train(wider.toString(), out).failedWith(2);
    assertTrue(msg.startsWith("the checkpoint to resume has d_in=4, d_sae=8 but this run has d_in=5,"
        + " d_sae=8"), msg);
    assertTrue(msg.contains("use a new output.path"), msg);
    assertEquals(good, Cli.snapshot(out), "model, checkpoints and metrics byte for byte unchanged");
  }

  @Test
  void givenNoEarlierOutput_whenTheRunFailsOnACorruptStore_thenNoOutputDirectoryIsLeft() {
    StoreFiles.floats(store.resolve("c.parquet"), 40, List.<Float[]>of(new Float[] {1f, 2f, null, 4f}));
    Path out = tmp.resolve("out");
    Cli.train(store.toString(), out).failedWith(3);
    assertNoOutput(out);
  }

  private static void replace(Path from, Path to) {
    try {
      Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(from.resolveSibling("." + from.getFileName() + ".crc"));
      Files.deleteIfExists(to.resolveSibling("." + to.getFileName() + ".crc"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
