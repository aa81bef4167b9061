package org.gsae.spark.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;

/**
 * Re-running {@code analyze} or {@code encode} replaces its earlier output (so either can be a
 * scheduled, idempotent stage), but a mistyped {@code --output} must not replace a directory
 * of someone else's data. An existing output is replaced only when it is an empty directory or
 * holds the marker file the command writes ({@code summary.json} for analyze,
 * {@code _gsae_encode.json} for encode).
 */
public final class ReplaceableOutput {
  private ReplaceableOutput() {}

  /**
   * Throws USAGE unless {@code target} is absent, an empty directory, or a directory that
   * holds {@code marker}.
   *
   * @param command the command, for the message ("analyze")
   */
  public static void check(FileSystem fs, Path target, String marker, String command) {
    FileStatus status;
    try {
      status = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      return;
    } catch (IOException e) {
      throw Errors.io("checking the output path", target.toString(), e);
    }
    String fix = "choose another --output, or delete it if it may be replaced";
    if (!status.isDirectory()) {
      throw Errors.usage("the output path exists and is a file, not an earlier " + command
          + " output", target.toString(), fix);
    }
    try {
      if (fs.listStatus(target).length == 0 || fs.exists(new Path(target, marker))) {
        return;
      }
    } catch (IOException e) {
      throw Errors.io("listing the output directory", target.toString(), e);
    }
    throw Errors.usage("the output directory exists and is not an earlier " + command
        + " output (it has no " + marker + "); refusing to replace it", target.toString(), fix);
  }
}
