package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scratch directories under {@code tests/target/cluster-scratch/}: one per cluster or
 * submission, named {@code <time>-<test JVM pid>-<sequence>-<label>} so that runs never share
 * logs, work dirs, local dirs or temp dirs, and a failed run's files stay for inspection
 * ({@code mvn clean} removes them).
 */
public final class ScratchDir {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private ScratchDir() {}

  /**
   * Creates a fresh directory under {@code root}.
   *
   * @param root  the scratch root, e.g. {@link SparkHome#scratchRoot()}
   * @param label a short word for what uses it, e.g. {@code cluster} or {@code submit}
   */
  public static Path create(Path root, String label) {
    String name = TIME.format(LocalDateTime.now()) + "-" + ProcessHandle.current().pid() + "-"
        + SEQUENCE.incrementAndGet() + "-" + label;
    return createDirectories(root.resolve(name));
  }

  /** {@link Files#createDirectories}, unchecked; returns {@code dir}. */
  public static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create scratch directory " + dir, e);
    }
  }

  /**
   * Deletes every {@code *.jar} below {@code dir}: the copies of application jars that
   * executors fetch into their work and local dirs (the shaded jobs jar is over 100 MB), while
   * the logs stay. Best effort: a file that cannot be deleted is left.
   */
  public static void deleteJarCopies(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (file.getFileName().toString().endsWith(".jar")) {
            try {
              Files.deleteIfExists(file);
            } catch (IOException ignored) {
              // Disk hygiene only; a leftover copy does no harm to the next run.
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // As above: best effort.
    }
  }
}
