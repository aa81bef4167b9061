package org.gsae.tests.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines of the gsae CLI ({@code org.gsae.jobs.Main}) as a user types them after the
 * jar: {@code train --conf conf/train.conf --set k=v...}, {@code analyze ...},
 * {@code encode ...}. Paths are passed as {@code file://} URIs, as for any Hadoop file system.
 */
final class GsaeCommands {
  private GsaeCommands() {}

  /** {@code file:///abs/path} of a local directory or file. */
  static String uri(Path p) {
    String u = p.toAbsolutePath().normalize().toUri().toString();
    // Path.toUri() ends an existing directory with '/'; outputs are named without it.
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /**
   * The checkout's {@code conf/train.conf}: every key at its documented default, so the test
   * runs what a user runs with {@code --set} overrides on top. Surefire runs in the tests
   * module ({@code basedir}), one level below the checkout root.
   */
  static String trainConf() {
    Path conf = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
        .resolve("../conf/train.conf").normalize();
    if (!Files.isRegularFile(conf)) {
      throw new IllegalStateException("conf/train.conf not found at " + conf
          + "; run the tests through Maven from the checkout (mvn -pl tests -am verify)");
    }
    return conf.toString();
  }

  /** {@code train --conf conf/train.conf --set input.path=.. --set output.path=.. --set s...}. */
  static String[] train(String input, String output, List<String> sets) {
    List<String> a = new ArrayList<>(List.of("train", "--conf", trainConf(),
        "--set", "input.path=" + input, "--set", "output.path=" + output));
    for (String s : sets) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  /** {@code analyze --model M --input I --output O [more...]}. */
  static String[] analyze(String model, String input, String output, String... more) {
    List<String> a = new ArrayList<>(List.of("analyze", "--model", model, "--input", input,
        "--output", output));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /** {@code encode --model M --input I --output O [more...]}. */
  static String[] encode(String model, String input, String output, String... more) {
    List<String> a = new ArrayList<>(List.of("encode", "--model", model, "--input", input,
        "--output", output));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }
}
