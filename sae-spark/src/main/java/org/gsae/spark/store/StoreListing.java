package org.gsae.spark.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code input.path} (a Parquet file, a directory or a glob, any Hadoop file system)
 * into the store's files ordered by path. Directories are listed recursively for
 * {@code *.parquet} files; like Spark, names starting with {@code _} or {@code .}
 * ({@code _SUCCESS}, {@code .crc} files, {@code _temporary/}) are ignored.
 */
final class StoreListing {
  private static final String FIX = "set input.path to a Parquet file, a directory of .parquet "
      + "files or a glob such as 'data/part-*.parquet'";

  private static final Logger LOG = LoggerFactory.getLogger(StoreListing.class);

  private StoreListing() {}

  /**
   * The data files of the store, ordered by their full path (the order that defines
   * {@code row_id}), without duplicates.
   *
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT when the path matches nothing
   *     or a directory holds no Parquet file; IO when listing fails
   */
  static List<FileStatus> resolve(String input, Configuration conf) {
    Path pattern = new Path(input);
    TreeMap<String, FileStatus> files = new TreeMap<>();
    try {
      FileSystem fs = HadoopFiles.fileSystem(pattern, conf);
      FileStatus[] matches = fs.globStatus(pattern);
      boolean glob = isGlob(input);
      if (matches == null || matches.length == 0) {
        throw glob
            ? Errors.invalidInput("the input glob matches no file or directory", input, FIX)
            : Errors.invalidInput("the input path does not exist", input, FIX);
      }
      int ignored = 0;
      String ignoredExample = null;
      for (FileStatus match : matches) {
        if (glob && isHiddenName(match.getPath().getName())) {
          continue;
        }
        if (match.isDirectory()) {
          for (FileStatus f : HadoopFiles.listFilesRecursively(fs, match.getPath())) {
            if (isHidden(f.getPath(), match.getPath())) {
              continue;
            }
            if (f.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
              requireRegular(fs, f);
              files.put(key(f.getPath()), f);
            } else {
              ignored++;
              ignoredExample = ignoredExample == null ? f.getPath().toString() : ignoredExample;
            }
          }
        } else {
          // A file named explicitly or matched by a glob is data whatever its extension;
          // reading its footer tells whether it is Parquet.
          requireRegular(fs, match);
          files.put(key(match.getPath()), match);
        }
      }
      if (files.isEmpty()) {
        String found = ignored == 0 ? "no data files at all"
            : ignored + " other file(s), for example " + ignoredExample;
        throw Errors.invalidInput("no Parquet (*.parquet) files found under the input path ("
            + found + ")", input, FIX);
      }
      if (ignored > 0) {
        LOG.warn("Ignoring {} file(s) without the .parquet extension under {}, for example {}",
            ignored, input, ignoredExample);
      }
    } catch (IOException e) {
      throw Errors.io("listing the activation store", input, e);
    }
    return new ArrayList<>(files.values());
  }

  /** A FIFO, device or socket named like data would block the reader for ever. */
  private static void requireRegular(FileSystem fs, FileStatus f) {
    if (!HadoopFiles.isRegularIfLocal(fs, f.getPath())) {
      throw Errors.invalidInput("the store holds an entry that is not a regular file (a FIFO,"
          + " device or socket?)", f.getPath().toString(), "remove it from the input, or point"
          + " input.path at regular Parquet files");
    }
  }

  /** The sort and de-duplication key of a path: its canonical URI string. */
  static String key(Path path) {
    return FileTable.canonical(path);
  }

  private static boolean isGlob(String path) {
    for (char c : new char[] {'*', '?', '[', '{'}) {
      if (path.indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** True when the file or any directory between it and {@code root} is hidden. */
  private static boolean isHidden(Path file, Path root) {
    Path p = file;
    for (int up = file.depth() - root.depth(); up > 0 && p != null; up--, p = p.getParent()) {
      if (isHiddenName(p.getName())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isHiddenName(String name) {
    return name.startsWith("_") || name.startsWith(".");
  }
}
