package org.gsae.core.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.gsae.core.error.Errors;

/**
 * Small helpers over Hadoop's {@link FileSystem} (so hdfs://, s3a:// and file: paths all work)
 * that turn {@link IOException}s into {@link Errors#io} errors naming the path.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /**
   * The FileSystem serving {@code path}. For local paths this is the raw local file system:
   * Hadoop's default local FS writes hidden {@code .crc} side files and then refuses to read a
   * file edited by another tool, which would break model directories shared with Python.
   */
  public static FileSystem fileSystem(Path path, Configuration conf) {
    try {
      FileSystem fs = path.getFileSystem(conf == null ? new Configuration() : conf);
      return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    } catch (UnsupportedFileSystemException e) {
      // A typo or a missing connector, not a network problem: a usage error.
      throw Errors.usage("no Hadoop file system for the scheme '" + path.toUri().getScheme()
          + "' (" + e.getMessage() + ")", path.toString(), "use a scheme this installation"
          + " supports (file:, hdfs:, or s3a: with hadoop-aws on the classpath), or check the"
          + " spelling of the path");
    } catch (IOException e) {
      throw Errors.io("resolving the file system", path.toString(), e);
    }
  }

  /** Whether {@code path} exists. */
  public static boolean exists(FileSystem fs, Path path) {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      throw Errors.io("checking whether a path exists", path.toString(), e);
    }
  }

  /**
   * Whether {@code path} exists and is a regular file. Hadoop's local file system reports a
   * FIFO, a device or a socket as a file, and reading one would block or never end, so on a
   * local path the operating system's file type decides.
   */
  public static boolean isFile(FileSystem fs, Path path) {
    try {
      FileStatus st = fs.getFileStatus(path);
      return st.isFile() && isRegularIfLocal(fs, st.getPath());
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw Errors.io("checking whether a file exists", path.toString(), e);
    }
  }

  /** False only for a local path that is not a regular file (a FIFO, a device, a socket). */
  public static boolean isRegularIfLocal(FileSystem fs, Path path) {
    java.nio.file.Path local = localPath(fs, path);
    return local == null || Files.isRegularFile(local);
  }

  /** The local path of {@code path} on a {@code file:} file system, else null. */
  private static java.nio.file.Path localPath(FileSystem fs, Path path) {
    if (!"file".equals(fs.getUri().getScheme())) {
      return null;
    }
    try {
      return Paths.get(fs.makeQualified(path).toUri());
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      return null;
    }
  }

  /** Directories deeper than this below the listed root are refused. */
  public static final int MAX_LISTING_DEPTH = 64;

  /**
   * Every file below {@code dir}, recursively, in no particular order. Unlike Hadoop's
   * recursive {@code listFiles}, it ends on a symbolic-link cycle (a directory reached again
   * through a link is listed once) and below {@value #MAX_LISTING_DEPTH} levels it stops with
   * an error instead of descending for ever. Entries that are neither directories nor regular
   * files on a local path (FIFOs, devices, sockets) are returned too; callers decide
   * (see {@link #isRegularIfLocal}).
   *
   * @throws IOException when a listing fails
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT when the tree is too deep
   */
  public static List<FileStatus> listFilesRecursively(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    Set<Object> seen = new HashSet<>();
    Deque<PendingDir> todo = new ArrayDeque<>();
    todo.add(new PendingDir(dir, 0));
    while (!todo.isEmpty()) {
      PendingDir next = todo.poll();
      Path d = next.path();
      int depth = next.depth();
      if (!seen.add(identity(fs, d))) {
        continue;   // reached again through a symbolic link: a cycle or a second way in
      }
      if (depth > MAX_LISTING_DEPTH) {
        throw Errors.invalidInput("directories are nested more than " + MAX_LISTING_DEPTH
            + " levels deep below the input path", d.toString(),
            "point the input at the directory that holds the data files");
      }
      for (FileStatus st : fs.listStatus(d)) {
        if (st.isDirectory()) {
          todo.add(new PendingDir(st.getPath(), depth + 1));
        } else {
          out.add(st);
        }
      }
    }
    return out;
  }

  /** A directory still to list, and how far below the listed root it is. */
  private record PendingDir(Path path, int depth) {}

  /** What identifies a directory: its real path on a local file system, else its path. */
  private static Object identity(FileSystem fs, Path dir) {
    java.nio.file.Path local = localPath(fs, dir);
    if (local != null) {
      try {
        return local.toRealPath();
      } catch (IOException e) {
        return local;
      }
    }
    return fs.makeQualified(dir).toString();
  }

  /**
   * Reads a whole file that must not exceed {@code maxBytes} (an untrusted file could
   * otherwise exhaust memory).
   *
   * @param what the file's role, for messages ("cfg.json")
   */
  public static byte[] readAll(FileSystem fs, Path path, long maxBytes, String what) {
    try {
      FileStatus st = fs.getFileStatus(path);
      long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
      if (st.getLen() > limit) {
        throw Errors.invalidInput(what + " is " + st.getLen() + " bytes, more than the "
            + limit + "-byte limit for such a file", path.toString(),
            "check that the path points at the right file");
      }
      byte[] out = new byte[(int) st.getLen()];
      try (FSDataInputStream in = fs.open(path)) {
        in.readFully(0, out);
      }
      return out;
    } catch (IOException e) {
      throw Errors.io("reading " + what, path.toString(), e);
    }
  }

  /** Creates {@code path} (it must not exist) holding exactly {@code bytes}. */
  public static void writeBytes(FileSystem fs, Path path, byte[] bytes) {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(bytes);
    } catch (IOException e) {
      throw Errors.io("writing", path.toString(), e);
    } catch (FSError e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw Errors.io("writing " + path.getName() + " (" + why + ")", path.toString(),
          new IOException(why, e));
    }
  }
}
