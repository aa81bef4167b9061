package org.gsae.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;

/**
 * Publishes a single file all at once: written to a hidden sibling {@code .<name>.tmp-<uuid>},
 * then renamed into place. An existing file is deleted just before the rename (Hadoop's
 * rename does not replace files), so a reader may briefly see no file, never a partial one.
 * For several files that belong together use {@link AtomicDirectoryWriter}.
 */
public final class AtomicFileWriter {
  /** Writes the file's bytes. */
  @FunctionalInterface
  public interface Contents {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFileWriter() {}

  /** Writes {@code target}, replacing an existing file. {@code conf} may be null. */
  public static void write(Path target, Configuration conf, Contents contents) {
    FileSystem fs = HadoopFiles.fileSystem(target, conf);
    Path dst = fs.makeQualified(target);
    Path tmp = new Path(dst.getParent(), "." + dst.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try (FSDataOutputStream out = fs.create(tmp, false)) {
        contents.writeTo(out);
      }
      if (fs.exists(dst) && !fs.delete(dst, false)) {
        throw new IOException("could not delete the previous " + dst.getName());
      }
      if (!fs.rename(tmp, dst)) {
        throw new IOException("rename " + tmp + " -> " + dst + " returned false");
      }
    } catch (IOException | RuntimeException | FSError e) {
      try {
        fs.delete(tmp, false);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw Errors.io("writing " + dst.getName(), dst.toString(), e);
    }
  }
}
