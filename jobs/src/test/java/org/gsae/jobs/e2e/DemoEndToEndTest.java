package org.gsae.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.RunnerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default, as {@code bin/sae demo} runs it (production runner, its own local
 * session): with its default recipe it must recover the synthetic dictionary (MMCS >= 0.9)
 * and leave a model, metrics and the store where it says.
 */
class DemoEndToEndTest {
  @TempDir Path dir;

  @Test
  void givenDefaults_whenDemoRuns_thenTheDictionaryIsRecovered() throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(RunnerProvider.DEFAULT, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of())
        .run("demo", "--output", dir.toUri().toString());
    String report = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, report + err.toString(StandardCharsets.UTF_8));
    Matcher m = Pattern.compile("MMCS (\\d+\\.\\d+)").matcher(report);
    assertTrue(m.find(), report);
    double mmcs = Double.parseDouble(m.group(1));
    assertTrue(mmcs >= 0.9, "MMCS " + mmcs + "\n" + report);
    assertTrue(Files.exists(dir.resolve("run/model/sae_weights.safetensors")), report);
    assertTrue(Files.isDirectory(dir.resolve("run/metrics.parquet")), report);
    assertTrue(Files.isDirectory(dir.resolve("store")), report);
    // It ends with a report (the browser tests in the tests module open such reports).
    assertTrue(report.contains("report") && report.contains(dir.resolve("run/report/index.html").toString()),
        report);
    assertTrue(Files.isRegularFile(dir.resolve("run/report/data/chunk-0000.js")), report);
    assertTrue(Files.isRegularFile(dir.resolve("run/analysis/band_examples.parquet/_SUCCESS")), report);
    // The demo's cfg.json records its recipe under the config file's key names, as JSON.
    JsonNode tc = new ObjectMapper().readTree(dir.resolve("run/model/cfg.json").toFile())
        .path("gsae").path("train_config");
    assertTrue(tc.path("demo").asBoolean(), tc.toString());
    assertEquals(3e-3, tc.path("train.lr").asDouble(), 0, tc.toString());
    assertEquals(500, tc.path("train.steps").asLong(), tc.toString());
    assertEquals("cosine", tc.path("train.lr_schedule").asText().toLowerCase(java.util.Locale.ROOT));
    assertEquals(256, tc.path("model.d_sae").asInt(), tc.toString());
  }
}
