package org.gsae.spark.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;

/**
 * Refuses, before any work, an output location that overlaps an input: the same place, the
 * output inside the input (a run would add its own files to the store it reads, and every
 * later run would read them too), or the input inside the output (replacing the output would
 * delete the input). Paths are compared after qualification on their file systems (scheme,
 * authority, absolute path, {@code .} and {@code ..} resolved); a glob input is compared by
 * the directory before its first wildcard.
 */
public final class Overlap {
  private Overlap() {}

  /**
   * @param inputKey   how the user named the input, for the message ({@code input.path})
   * @param input      the input path (may be a glob)
   * @param outputKey  how the user named the output ({@code output.path}, {@code --output})
   * @param output     the output path
   * @throws org.gsae.core.error.GsaeException USAGE naming both keys and paths when they overlap
   */
  public static void refuse(Configuration conf, String inputKey, String input, String outputKey,
      String output) {
    Objects.requireNonNull(input, inputKey);
    Objects.requireNonNull(output, outputKey);
    Path in = qualified(globFree(input), conf);
    Path out = qualified(new Path(output), conf);
    if (!sameFileSystem(in, out)) {
      return;
    }
    List<String> a = components(in);
    List<String> b = components(out);
    String what;
    if (a.equals(b)) {
      what = outputKey + " = '" + output + "' is the same location as " + inputKey + " = '"
          + input + "'";
    } else if (isPrefix(a, b)) {
      what = outputKey + " = '" + output + "' is inside " + inputKey + " = '" + input
          + "': the outputs would be written into what is read (and read by every later run)";
    } else if (isPrefix(b, a)) {
      what = inputKey + " = '" + input + "' is inside " + outputKey + " = '" + output
          + "': writing the output would replace or pollute the input";
    } else {
      return;
    }
    throw Errors.usage(what, output, "choose an " + outputKey + " outside " + inputKey
        + " and an " + inputKey + " outside " + outputKey);
  }

  /**
   * For an output that may lie inside its inputs (a report inside the run it describes):
   * refuses only an output that is {@code input} or a directory above it, which replacing the
   * output would delete. Compared as {@link #refuse} compares.
   *
   * @throws org.gsae.core.error.GsaeException USAGE naming both keys and paths
   */
  public static void refuseHolding(Configuration conf, String outputKey, String output,
      String inputKey, String input) {
    Path in = qualified(new Path(input), conf);
    Path out = qualified(new Path(output), conf);
    if (!sameFileSystem(in, out)) {
      return;
    }
    List<String> a = components(in);
    List<String> b = components(out);
    if (a.equals(b) || isPrefix(b, a)) {
      throw Errors.usage(outputKey + " = '" + output + "' holds " + inputKey + " = '" + input
          + "': writing the output would replace it", output, "choose an " + outputKey
          + " that is not " + inputKey + " nor a directory above it");
    }
  }

  /** The part of a possibly globbed path before its first component with a wildcard. */
  static Path globFree(String path) {
    Path p = new Path(path);
    Path result = p;
    for (Path q = p; q != null; q = q.getParent()) {
      if (hasGlob(q.getName())) {
        result = q.getParent();   // ends as the parent of the outermost globbed component
      }
    }
    return result == null ? new Path("/") : result;
  }

  private static boolean hasGlob(String name) {
    return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0
        || name.indexOf('{') >= 0;
  }

  private static Path qualified(Path p, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(p, conf);
    return fs.makeQualified(p);
  }

  private static boolean sameFileSystem(Path a, Path b) {
    return Objects.equals(a.toUri().getScheme(), b.toUri().getScheme())
        && Objects.equals(a.toUri().getAuthority(), b.toUri().getAuthority());
  }

  private static List<String> components(Path p) {
    List<String> out = new ArrayList<>();
    for (String c : p.toUri().normalize().getPath().split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        continue;
      }
      out.add(c);
    }
    return out;
  }

  private static boolean isPrefix(List<String> prefix, List<String> of) {
    return prefix.size() < of.size() && of.subList(0, prefix.size()).equals(prefix);
  }
}
