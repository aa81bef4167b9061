package org.gsae.core.io;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a directory all at once (docs/architecture.md §3): the contents are written into a
 * hidden temporary sibling {@code .<name>.tmp-<uuid>} and renamed into place only when complete, so
 * a reader never sees a half-written directory and a failed write leaves nothing behind. When
 * the target exists and overwriting is allowed, the old directory is first renamed aside
 * ({@code .<name>.old-<uuid>}), the new one renamed in, and only then the old one deleted.
 *
 * <p>Guarantees depend on the file system's rename: atomic on HDFS and local disks; on object
 * stores (s3a) rename is a copy, so "atomic" there means "complete before visible under the
 * final name" only. If the process dies between the two renames of an overwrite, the target
 * is missing and the previous contents remain in the {@code .old-} sibling. Hidden names
 * (leading dot) keep temporaries out of Hadoop/Spark directory listings.
 */
public final class AtomicDirectoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectoryWriter.class);

  /** Writes the contents of a directory; called once with an empty, existing directory. */
  @FunctionalInterface
  public interface Contents {
    /**
     * @param fs  the FileSystem of the target
     * @param dir the temporary directory to fill (fully qualified)
     */
    void writeInto(FileSystem fs, Path dir) throws IOException;
  }

  private AtomicDirectoryWriter() {}

  /** Whether a file name is one of this class's temporaries (to skip when listing). */
  public static boolean isTemporary(String name) {
    return name.startsWith(".") && (name.contains(".tmp-") || name.contains(".old-"));
  }

  /**
   * Writes {@code target} atomically.
   *
   * @param target    the directory to create (any Hadoop path)
   * @param overwrite replace an existing target; if false an existing target is an error
   * @param conf      Hadoop configuration, or null for {@code new Configuration()}
   * @param contents  fills the temporary directory
   * @throws org.gsae.core.error.GsaeException IO when storage fails (the target is then
   *     unchanged), USAGE when the target exists and {@code overwrite} is false; exceptions
   *     thrown by {@code contents} propagate unchanged (IOExceptions wrapped as IO)
   */
  public static void write(Path target, boolean overwrite, Configuration conf, Contents contents) {
    FileSystem fs = HadoopFiles.fileSystem(target, conf);
    Path dst = fs.makeQualified(target);
    Path parent = dst.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot write the root directory " + dst);
    }
    if (!overwrite && HadoopFiles.exists(fs, dst)) {
      throw Errors.usage("output directory already exists", dst.toString(),
          "choose a new path, delete the old one, or allow overwriting");
    }
    String id = UUID.randomUUID().toString();
    Path tmp = new Path(parent, "." + dst.getName() + ".tmp-" + id);
    try {
      if (!fs.mkdirs(tmp)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      // Name the target: the temporary's random name means nothing to the user.
      throw Errors.io("creating " + dst.getName(), dst.toString(), e);
    }
    try {
      contents.writeInto(fs, tmp);
    } catch (IOException e) {
      deleteQuietly(fs, tmp, e);
      throw Errors.io("writing " + dst.getName(), tmp.toString(), e);
    } catch (Throwable e) {
      // Throwable, not RuntimeException: Spark's Scala code throws its checked SparkException
      // undeclared, and a failed Spark write must not leave the temporary behind either.
      deleteQuietly(fs, tmp, e);
      FSError full = fsError(e);
      if (full != null) {
        // Hadoop's local file system reports a full disk as this Error, without a path (from a
        // Spark task writing into tmp it arrives wrapped): name what was being written.
        String why = full.getCause() != null ? full.getCause().getMessage() : full.getMessage();
        throw Errors.io("writing " + dst.getName() + " (" + why + ")", dst.toString(),
            new IOException(why, e));
      }
      throw e;
    }
    publish(fs, tmp, dst, new Path(parent, "." + dst.getName() + ".old-" + id), overwrite);
  }

  /** The {@link FSError} in {@code t}'s cause chain, if any. */
  private static FSError fsError(Throwable t) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof FSError f) {
        return f;
      }
    }
    return null;
  }

  private static void publish(FileSystem fs, Path tmp, Path dst, Path old, boolean overwrite) {
    boolean movedAside = false;
    try {
      if (HadoopFiles.exists(fs, dst)) {
        if (!overwrite) { // created by someone else while we were writing
          throw Errors.usage("output directory appeared while writing it", dst.toString(),
              "make sure only one job writes this path");
        }
        rename(fs, dst, old);
        movedAside = true;
      }
      rename(fs, tmp, dst);
    } catch (RuntimeException e) {
      if (movedAside) {
        try {
          rename(fs, old, dst);
        } catch (RuntimeException restore) {
          e.addSuppressed(restore);
        }
      }
      deleteQuietly(fs, tmp, e);
      throw e;
    }
    if (movedAside) {
      try {
        if (!fs.delete(old, true)) {
          LOG.warn("could not delete the replaced directory {}", old);
        }
      } catch (IOException e) {
        LOG.warn("could not delete the replaced directory {}", old, e);
      }
    }
  }

  private static void rename(FileSystem fs, Path from, Path to) {
    try {
      if (!fs.rename(from, to)) {
        throw new IOException("rename " + from + " -> " + to + " returned false");
      }
    } catch (IOException e) {
      throw Errors.io("renaming " + from.getName() + " to " + to.getName(), to.toString(), e);
    }
  }

  private static void deleteQuietly(FileSystem fs, Path p, Throwable primary) {
    try {
      fs.delete(p, true);
    } catch (IOException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }
}
