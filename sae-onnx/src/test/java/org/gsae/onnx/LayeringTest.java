package org.gsae.onnx;

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
 * docs/architecture.md §1 for this module: sae-onnx never imports Spark, and of sae-core it
 * uses the public API only (no ND4J: tensors go through {@code org.gsae.core.tensor}).
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java/org/gsae/onnx");

  @Test
  void theModelSideKnowsNothingOfSparkOrNd4j() throws IOException {
    List<String> bad = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(MAIN)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertFalse(files.isEmpty(), "no sources under " + MAIN.toAbsolutePath());
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        String t = line.trim();
        // Prefixes built from parts so this file does not itself match a plain-text search.
        for (String p : List.of("import org.apache." + "spark", "import " + "scala.",
            "import org." + "nd4j", "import org." + "bytedeco")) {
          if (t.startsWith(p)) {
            bad.add(f + ": " + t);
          }
        }
      }
    }
    assertEquals(List.of(), bad);
  }
}
