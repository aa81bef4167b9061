package org.gsae.tests.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One Master or Worker JVM that {@link LocalStandaloneCluster} started: its process, its
 * scratch directory and the file that receives its stdout and stderr.
 *
 * @param name    {@code master}, {@code worker-1}, {@code worker-2}, ...
 * @param process the JVM
 * @param dir     the daemon's own scratch directory (work, local and tmp dirs below it)
 * @param logFile stdout and stderr of the JVM, merged
 */
public record SparkDaemon(String name, Process process, Path dir, Path logFile) {

  /**
   * Starts a Spark daemon JVM in {@code dir} (its working directory, with {@code tmp/} and
   * {@code local/} below it), stdout and stderr to {@code dir/<name>.log}.
   *
   * @param home      the Spark home to run on
   * @param heap      the JVM's {@code -Xmx}
   * @param name      the daemon's name, also its log file's
   * @param dir       its scratch directory
   * @param mainClass {@code org.apache.spark.deploy.master.Master} or {@code ...worker.Worker}
   * @param args      the daemon's arguments
   */
  public static SparkDaemon launch(SparkHome home, String heap, String name, Path dir,
      String mainClass, List<String> args) {
    ScratchDir.createDirectories(dir);
    Path tmp = ScratchDir.createDirectories(dir.resolve("tmp"));
    Path local = ScratchDir.createDirectories(dir.resolve("local"));
    Path log = dir.resolve(name + ".log");
    // maxRetries=0: a taken port fails the start instead of moving to port+1 unseen.
    List<String> options = new ArrayList<>(List.of("-Dspark.port.maxRetries=0"));
    // The daemons only route messages; quick-start options leave the cores to executors.
    options.addAll(SparkHome.QUICK_START_JVM_OPTIONS);
    List<String> cmd = home.javaCommand(heap, tmp, options, mainClass, args);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(home.environment(local));
    try {
      return new SparkDaemon(name, pb.start(), dir, log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", cmd), e);
    }
  }

  /**
   * A failure whose message is {@code what}, the scratch directory, and the state and log
   * tail of each daemon.
   */
  public static IllegalStateException failure(String what, Path scratch,
      Collection<SparkDaemon> daemons, int logLines) {
    StringBuilder sb = new StringBuilder(what).append(" (scratch ").append(scratch).append(")\n");
    for (SparkDaemon d : daemons) {
      sb.append(d.describe(logLines));
    }
    return new IllegalStateException(sb.toString());
  }

  /** The daemon's process id. */
  public long pid() {
    return process.pid();
  }

  /** The daemon's process handle (for its descendants: the executors of a Worker). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** Whether the JVM is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last {@code lines} lines of the log, for failure messages. */
  public String logTail(int lines) {
    return tail(logFile, lines);
  }

  /** A headed block for failure messages: name, pid, state, log path and the log's tail. */
  public String describe(int lines) {
    String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
    return "--- " + name + " (pid " + pid() + ", " + state + ", log " + logFile + ") ---\n"
        + logTail(lines);
  }

  /** The last {@code lines} lines of a text file, or a note if it cannot be read. */
  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no file " + file + ")\n";
      }
      // Lenient decoding: a log cut mid-character must still be shown.
      List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
          .lines().toList();
      StringBuilder sb = new StringBuilder();
      for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
        sb.append(line).append('\n');
      }
      return sb.toString();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
  }
}
