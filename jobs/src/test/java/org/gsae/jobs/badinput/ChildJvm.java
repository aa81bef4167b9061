package org.gsae.jobs.badinput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.gsae.jobs.Main;

/**
 * {@code sae} in a JVM of its own (this test JVM's class path and flags, the production log
 * configuration), for what needs a second process: two runs at once, a signal, a small heap.
 * Its stdout and stderr go to files so they can be read while it runs.
 */
final class ChildJvm {
  final Process process;
  final Path stdout;
  final Path stderr;

  private ChildJvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Starts {@code sae args...}.
   *
   * @param dir       where the output and log files go
   * @param extraJvm  JVM options after this JVM's own (a later -Xmx wins)
   */
  static ChildJvm start(Path dir, List<String> extraJvm, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    Path conf = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/log4j2.properties");
    cmd.add("-Dlog4j2.configurationFile=" + conf);
    cmd.add("-Dgsae.log.file=" + dir.resolve("child.log"));
    cmd.add("-Dspark.ui.enabled=false");
    cmd.addAll(extraJvm);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(Arrays.asList(args));
    Path out = dir.resolve("child-" + System.nanoTime() + ".out");
    Path err = dir.resolve("child-" + System.nanoTime() + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    try {
      return new ChildJvm(pb.start(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the exit (at most {@code seconds}) and returns the exit code. */
  int waitFor(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the child did not end within " + seconds + " s; stderr: " + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  String stderr() {
    return read(stderr);
  }

  String stdout() {
    return read(stdout);
  }

  /** The {@code gsae: error:} lines of stderr. */
  List<String> errorLines() {
    return stderr().lines().filter(l -> l.startsWith("gsae: error: ")).toList();
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
