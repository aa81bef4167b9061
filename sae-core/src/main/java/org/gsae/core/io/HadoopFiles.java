package org.gsae.core.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
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

  /** Whether {@code path} exists and is a regular file. */
  public static boolean isFile(FileSystem fs, Path path) {
    try {
      return fs.getFileStatus(path).isFile();
    } catch (FileNotFoundException e) {
      return false;
    } catch (IOException e) {
      throw Errors.io("checking whether a file exists", path.toString(), e);
    }
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
    }
  }
}
