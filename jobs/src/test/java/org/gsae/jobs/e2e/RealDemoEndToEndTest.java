package org.gsae.jobs.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.RunnerProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sae demo --real}, smaller (1500 sentences, 300 steps) but otherwise as a user runs
 * it: MiniLM-L6 and the Europarl text from the build's jars, nothing from the network. Its
 * features must be coherent by a measurable proxy: the top examples of alive features share
 * their most common token far more often than random tokens of the store do. Then
 * {@code evaluate} on the demo's model: the same numbers as the demo's own evaluation, and a
 * clear error for a site of another width.
 */
class RealDemoEndToEndTest {
  @TempDir
  static Path dir;
  private static String report;

  @BeforeAll
  static void demo() {
    String[] outErr = run("demo", "--real", "--texts", "1500", "--steps", "300", "--output",
        dir.toUri().toString());
    report = outErr[0];
    System.out.println(report);
    assertEquals("0", outErr[2], report + outErr[1]);
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(RunnerProvider.DEFAULT, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        Integer.toString(code)};
  }

  private static double number(String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(report);
    assertTrue(m.find(), pattern + " in\n" + report);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theFeaturesAgreeOnTheirTokensFarMoreThanChance() {
    Matcher m = Pattern.compile("most common token (\\d+)% of the time \\(random tokens: (\\d+)%\\), "
        + "over (\\d+) features").matcher(report);
    assertTrue(m.find(), report);
    double features = Double.parseDouble(m.group(1));
    double random = Double.parseDouble(m.group(2));
    assertTrue(Integer.parseInt(m.group(3)) > 500, report);
    assertTrue(features > 3 * random, features + "% vs " + random + "%\n" + report);
    // The summary lists features with their strongest tokens marked in context.
    assertTrue(Pattern.compile("(?m)^\\s+\\d+\\.\\d\\d  .*\\[\\[.+]]").matcher(report).find(), report);
  }

  @Test
  void theRunLeavesAStoreAModelAReportAndItsFidelity() throws IOException {
    double fidelity = number("fidelity    (\\d\\.\\d+)");
    assertTrue(fidelity > 0.5 && fidelity < 1, report);
    double l0 = number("L0          (\\d+\\.\\d+)");
    assertTrue(l0 > 1 && l0 < 200, report);
    assertTrue(Files.exists(dir.resolve("store/_gsae_harvest.json")), report);
    assertEquals(1500, Files.readAllLines(dir.resolve("texts.txt")).size());
    assertEquals(500, Files.readAllLines(dir.resolve("heldout.txt")).size());
    assertTrue(Files.isRegularFile(dir.resolve("run/report/index.html")), report);
    JsonNode tc = new ObjectMapper().readTree(dir.resolve("run/model/cfg.json").toFile())
        .path("gsae").path("train_config");
    assertEquals("real", tc.path("demo").asText(), tc.toString());
    assertEquals(3072, tc.path("model.d_sae").asInt(), tc.toString());
    JsonNode own = new ObjectMapper().readTree(dir.resolve("run/evaluate/summary.json").toFile());
    assertEquals("embedding_cosine", own.path("measure").asText());
    assertEquals(fidelity, own.path("fidelity").asDouble(), 5e-5);
  }

  @Test
  void evaluateRepeatsTheDemosMeasureAndRefusesAnotherWidth() throws IOException {
    String model = dir.resolve("run/model").toString();
    String texts = dir.resolve("heldout.txt").toString();
    String[] ok = run("evaluate", "--model", model, "--input", texts, "--output",
        dir.resolve("eval").toString());
    assertEquals("0", ok[2], ok[0] + ok[1]);
    JsonNode again = new ObjectMapper().readTree(dir.resolve("eval/summary.json").toFile());
    JsonNode own = new ObjectMapper().readTree(dir.resolve("run/evaluate/summary.json").toFile());
    for (String k : new String[] {"texts", "tokens", "fvu", "clean", "sae", "zero", "fidelity"}) {
      assertEquals(own.path(k).asDouble(), again.path(k).asDouble(), 0, k);
    }
    assertTrue(ok[0].contains("fidelity"), ok[0]);

    String[] wrong = run("evaluate", "--model", model, "--input", texts, "--output",
        dir.resolve("eval-mlp").toString(), "--site", "mlp");
    assertEquals("3", wrong[2], wrong[0] + wrong[1]);
    assertTrue(wrong[1].contains("has width 1536 but the SAE has d_in=384"), wrong[1]);
    assertTrue(!Files.exists(dir.resolve("eval-mlp")));
  }
}
