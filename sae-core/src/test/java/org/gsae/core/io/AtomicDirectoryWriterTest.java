package org.gsae.core.io;

import static org.gsae.core.io.IoTestSupport.assertError;
import static org.gsae.core.io.IoTestSupport.bits;
import static org.gsae.core.io.IoTestSupport.hadoopPath;
import static org.gsae.core.io.IoTestSupport.list;
import static org.gsae.core.io.IoTestSupport.randomParams;
import static org.gsae.core.io.IoTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.SaeParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write never leaves a target behind nor damages an existing one. */
class AtomicDirectoryWriterTest {
  @TempDir java.nio.file.Path tmp;

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void givenWriterThatThrowsMidway_thenNoTargetAndNoTemporaryRemain() {
    Path root = hadoopPath(tmp);
    Path target = new Path(root, "out");
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> AtomicDirectoryWriter.write(target, false, null, (fs, dir) -> {
          HadoopFiles.writeBytes(fs, new Path(dir, "a.txt"), utf8("half"));
          throw boom;
        }));
    assertSame(boom, thrown);
    assertEquals(0, list(root).length, "parent must be empty");
  }

  @Test
  void givenExistingModel_whenOverwriteFailsMidway_thenItIsUntouched() {
    Path root = hadoopPath(tmp);
    Path model = new Path(root, "model");
    SaeParameters before = randomParams(4, 6, 1);
    ModelDirectory.save(model, before, ModelInfo.empty().withMetadata("v", 1));
    byte[] cfg = read(new Path(model, "cfg.json"));
    byte[] weights = read(new Path(model, "sae_weights.safetensors"));

    GsaeException e = assertThrows(GsaeException.class,
        () -> AtomicDirectoryWriter.write(model, true, null, (fs, dir) -> {
          ModelDirectory.writeInto(fs, dir, randomParams(4, 6, 2), ModelInfo.empty());
          throw new IOException("disk full");
        }));
    assertError(e, ErrorCode.IO, "disk full", "model");

    assertArrayEquals(new String[] {"model"}, list(root));
    assertArrayEquals(cfg, read(new Path(model, "cfg.json")));
    assertArrayEquals(weights, read(new Path(model, "sae_weights.safetensors")));
    LoadedModel m = ModelDirectory.load(model);
    assertArrayEquals(bits(before.toFlat()), bits(m.params().toFlat()));
    assertEquals(1, m.info().metadata().get("v"));
  }

  @Test
  void givenExistingDirectory_whenOverwritten_thenOnlyNewContentRemains() {
    Path root = hadoopPath(tmp);
    Path target = new Path(root, "out");
    AtomicDirectoryWriter.write(target, false, null,
        (fs, dir) -> HadoopFiles.writeBytes(fs, new Path(dir, "old.txt"), utf8("old")));
    AtomicDirectoryWriter.write(target, true, null,
        (fs, dir) -> HadoopFiles.writeBytes(fs, new Path(dir, "new.txt"), utf8("new")));
    assertArrayEquals(new String[] {"out"}, list(root));
    assertArrayEquals(new String[] {"new.txt"}, list(target));
    assertArrayEquals(utf8("new"), read(new Path(target, "new.txt")));
  }

  @Test
  void givenExistingDirectory_whenOverwriteNotAllowed_thenUsageErrorAndNothingWritten() {
    Path root = hadoopPath(tmp);
    Path target = new Path(root, "out");
    AtomicDirectoryWriter.write(target, false, null,
        (fs, dir) -> HadoopFiles.writeBytes(fs, new Path(dir, "a"), utf8("1")));
    boolean[] called = {false};
    GsaeException e = assertThrows(GsaeException.class,
        () -> AtomicDirectoryWriter.write(target, false, null, (fs, dir) -> called[0] = true));
    assertError(e, ErrorCode.USAGE, "already exists", "out");
    assertFalse(called[0]);
    assertArrayEquals(new String[] {"a"}, list(target));
  }

  @Test
  void givenMissingParents_thenTheyAreCreated() {
    Path target = new Path(hadoopPath(tmp), "a/b/c");
    AtomicDirectoryWriter.write(target, false, null,
        (fs, dir) -> HadoopFiles.writeBytes(fs, new Path(dir, "x"), utf8("x")));
    assertArrayEquals(new String[] {"c"}, list(target.getParent()));
    assertTrue(AtomicDirectoryWriter.isTemporary(".c.tmp-123"));
    assertFalse(AtomicDirectoryWriter.isTemporary("c"));
  }

  @Test
  void givenAParentThatIsAFile_whenWritten_thenIoErrorNamesTheTargetAndNothingIsWritten() {
    Path root = hadoopPath(tmp);
    Path blocker = new Path(root, "blocker");
    HadoopFiles.writeBytes(HadoopFiles.fileSystem(blocker, null), blocker, utf8("x"));
    Path target = new Path(blocker, "run/model");
    boolean[] called = {false};
    GsaeException e = assertThrows(GsaeException.class,
        () -> AtomicDirectoryWriter.write(target, false, null, (fs, dir) -> called[0] = true));
    // The target, not the temporary's random name, is what the user can act on.
    assertError(e, ErrorCode.IO, "I/O failure while creating model: ", "blocker");
    assertTrue(e.where().endsWith("/blocker/run/model"), e.where());
    assertFalse(called[0]);
    assertArrayEquals(new String[] {"blocker"}, list(root));
    assertArrayEquals(utf8("x"), read(blocker));
  }

  @Test
  void givenSingleFileWriterThatFails_thenTheOldFileIsUntouched() {
    Path root = hadoopPath(tmp);
    Path file = new Path(root, "f.bin");
    AtomicFileWriter.write(file, null, out -> out.write(utf8("first")));
    assertThrows(GsaeException.class, () -> AtomicFileWriter.write(file, null, out -> {
      out.write(utf8("sec"));
      throw new IOException("network");
    }));
    assertArrayEquals(utf8("first"), read(file));
    assertArrayEquals(new String[] {"f.bin"}, list(root));
    AtomicFileWriter.write(file, null, out -> out.write(utf8("second")));
    assertArrayEquals(utf8("second"), read(file));
  }
}
