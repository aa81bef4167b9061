package org.gsae.spark.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;

/**
 * Finds out before any work whether an output location can be written: a hidden marker file
 * is created and deleted where the output will go (inside it when it exists, else in its
 * nearest existing ancestor). Permissions, read-only mounts and pseudo file systems then fail
 * at once with an I/O error naming the path, not after hours of training at the first
 * checkpoint.
 */
public final class WriteProbe {
  private WriteProbe() {}

  /**
   * @param key the option or key that named the output, for the message ({@code output.path})
   * @throws org.gsae.core.error.GsaeException IO naming the path when nothing can be written there
   */
  public static void requireWritable(Configuration conf, String key, String output) {
    Path out = new Path(output);
    FileSystem fs = HadoopFiles.fileSystem(out, conf);
    Path dir = null;
    for (Path p = fs.makeQualified(out); p != null; p = p.getParent()) {
      FileStatus st;
      try {
        st = fs.getFileStatus(p);
      } catch (FileNotFoundException e) {
        continue;
      } catch (IOException e) {
        throw Errors.io("checking " + key, output, e);
      }
      if (!st.isDirectory()) {
        throw Errors.io("checking " + key, output,
            new ParentNotDirectoryException(p + " is a file, not a directory"));
      }
      dir = p;
      break;
    }
    if (dir == null) {
      throw Errors.io("checking " + key, output, new IOException("no ancestor of it exists"));
    }
    Path marker = new Path(dir, ".gsae-write-probe-" + UUID.randomUUID());
    try {
      fs.create(marker, false).close();
    } catch (IOException | RuntimeException e) {
      throw Errors.io("probing that " + key + " is writable (creating a file in " + dir + ")",
          output, e);
    }
    try {
      fs.delete(marker, false);
    } catch (IOException e) {
      throw Errors.io("deleting the write probe " + marker, output, e);
    }
  }
}
