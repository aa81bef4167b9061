package org.gsae.spark.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;

/**
 * Re-running a command replaces its earlier output (so a run can be a scheduled, idempotent
 * stage), but only what gsae wrote: an existing output is replaced only when it is an empty
 * directory, or holds the marker file the command writes ({@code summary.json} for analyze,
 * {@code _gsae_encode.json} for encode, {@code cfg.json} for a trained model) <em>and</em>
 * nothing but the files that command writes (their Hadoop {@code .crc} side files and gsae's
 * own hidden temporaries included). A mistyped output path, or a file a user put beside the
 * outputs, is never deleted.
 */
public final class ReplaceableOutput {
  private ReplaceableOutput() {}

  /**
   * Throws USAGE unless {@code target} is absent, an empty directory, or a directory that
   * holds {@code marker} and only entries {@code own} accepts.
   *
   * @param command the command and output, for the message ("analyze")
   * @param own     the names the command writes into {@code target}
   */
  public static void check(FileSystem fs, Path target, String marker, String command,
      Predicate<String> own) {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      return;
    } catch (IOException e) {
      throw Errors.io("checking the output path", target.toString(), e);
    }
    String fix = "choose another output location, or move the files gsae did not write elsewhere";
    if (!status.isDirectory()) {
      throw Errors.usage("the output path exists and is a file, not an earlier " + command
          + " output", target.toString(), fix);
    }
    FileStatus[] entries;
    try {
      entries = fs.listStatus(target);
      if (entries.length == 0) {
        return;
      }
      if (!fs.exists(new Path(target, marker))) {
        throw Errors.usage("the output directory exists and is not an earlier " + command
            + " output (it has no " + marker + "); refusing to replace it", target.toString(), fix);
      }
    } catch (IOException e) {
      throw Errors.io("listing the output directory", target.toString(), e);
    }
    List<String> foreign = new ArrayList<>();
    for (FileStatus e : entries) {
      String name = e.getPath().getName();
      if (!own.test(name) && !isChecksumOf(name, own) && !AtomicDirectoryWriter.isTemporary(name)) {
        foreign.add(name);
      }
    }
    if (!foreign.isEmpty()) {
      Collections.sort(foreign);
      throw Errors.usage("the earlier " + command + " output also holds " + foreign.size()
          + " entr" + (foreign.size() == 1 ? "y" : "ies") + " gsae did not write ("
          + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
          + (foreign.size() > 5 ? ", ..." : "") + "); refusing to replace it", target.toString(),
          fix);
    }
  }

  /** Hadoop's checksum side file {@code .<name>.crc} of an accepted name. */
  static boolean isChecksumOf(String name, Predicate<String> own) {
    return name.startsWith(".") && name.endsWith(".crc") && name.length() > 5
        && own.test(name.substring(1, name.length() - 4));
  }

  /** What Spark's Parquet writer leaves in a dataset directory: part files and {@code _SUCCESS}. */
  public static boolean isSparkDatasetEntry(String name) {
    return name.startsWith("part-") || name.equals("_SUCCESS");
  }
}
