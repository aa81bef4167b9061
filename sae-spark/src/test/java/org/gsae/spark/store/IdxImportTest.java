package org.gsae.spark.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxImportTest {
  @TempDir Path dir;

  private static byte[] idx(int magic, int[] dims, byte[] body, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream sink = gzip ? new GZIPOutputStream(bytes) : bytes;
        DataOutputStream out = new DataOutputStream(sink)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(body);
    }
    return bytes.toByteArray();
  }

  private org.apache.hadoop.fs.Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return new org.apache.hadoop.fs.Path(p.toUri());
  }

  @Test
  void readsImagesScaledToUnitRangeAndLabelsGzipOrRaw() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    // Two 1x3 images: bytes 0, 255, 51 and 102, 204, 153 (unsigned).
    byte[] px = {0, (byte) 255, 51, 102, (byte) 204, (byte) 153};
    for (boolean gz : new boolean[] {true, false}) {
      IdxImport.Images img = IdxImport.readImages(fs,
          write("img" + gz, idx(0x803, new int[] {2, 1, 3}, px, gz)));
      assertEquals(2, img.count());
      assertEquals(1, img.height());
      assertEquals(3, img.width());
      assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 0.8f, 0.6f}, img.pixels(), 1e-7f);
      assertArrayEquals(new int[] {9, 200}, IdxImport.readLabels(fs,
          write("lab" + gz, idx(0x801, new int[] {2}, new byte[] {9, (byte) 200}, gz))));
    }
  }

  @Test
  void wrongMagicOrShortFileIsInvalidInputNamingTheFile() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path labels = write("labels", idx(0x801, new int[] {1}, new byte[] {3}, false));
    GsaeException e = assertThrows(GsaeException.class, () -> IdxImport.readImages(fs, labels));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("0x00000801") && e.getMessage().contains("images"), e.getMessage());
    assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());

    org.apache.hadoop.fs.Path shortFile = write("short", idx(0x803, new int[] {3, 2, 2}, new byte[5], true));
    e = assertThrows(GsaeException.class, () -> IdxImport.readImages(fs, shortFile));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertTrue(e.getMessage().contains("ends before"), e.getMessage());
  }
}
