package org.gsae.tests.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small readers of what a gsae command leaves behind: its stdout report and JSON files. */
final class JobOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration CONF = new Configuration();

  private JobOutputs() {}

  /**
   * The value of the report entry {@code name} in a command's stdout: the report prints one
   * {@code "  name  value"} line per entry, values aligned with at least two spaces.
   */
  static Optional<String> reportValue(String stdout, String name) {
    return stdout.lines()
        .filter(l -> l.startsWith("  " + name + "  "))
        .map(l -> l.substring(2 + name.length()).strip())
        .findFirst();
  }

  /** The parsed JSON file at {@code uri}. */
  static JsonNode json(String uri) {
    Path p = new Path(uri);
    try (InputStream in = p.getFileSystem(CONF).open(p)) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri, e);
    }
  }

  /** Whether a file or directory exists at {@code uri}. */
  static boolean exists(String uri) {
    Path p = new Path(uri);
    try {
      FileSystem fs = p.getFileSystem(CONF);
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + uri, e);
    }
  }
}
