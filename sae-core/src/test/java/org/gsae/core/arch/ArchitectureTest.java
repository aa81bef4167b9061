package org.gsae.core.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rules of docs/architecture.md §1, checked on the sources: sae-core never imports Spark, and
 * only {@code org.gsae.core.tensor} imports ND4J (so the backend can change behind one door).
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/org/gsae/core");

  @Test
  void coreNeverImportsSpark() throws IOException {
    // Prefixes built from parts so this file does not itself match a plain-text search.
    assertEquals(List.of(), offenders(f -> true, "import org.apache." + "spark", "import " + "scala."));
  }

  @Test
  void onlyTheTensorPackageImportsNd4j() throws IOException {
    assertEquals(List.of(), offenders(f -> !f.startsWith(MAIN.resolve("tensor")),
        "import org.nd4j", "import org.bytedeco"));
  }

  private static List<String> offenders(java.util.function.Predicate<Path> scope, String... prefixes)
      throws IOException {
    List<String> bad = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(MAIN)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertFalse(files.isEmpty(), "no sources found under " + MAIN.toAbsolutePath());
    for (Path f : files) {
      if (!scope.test(f)) {
        continue;
      }
      for (String line : Files.readAllLines(f)) {
        for (String p : prefixes) {
          if (line.trim().startsWith(p)) {
            bad.add(f + ": " + line.trim());
          }
        }
      }
    }
    return bad;
  }
}
