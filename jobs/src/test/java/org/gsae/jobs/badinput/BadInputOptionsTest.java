package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad options of {@code analyze} and {@code encode}, with the production runners: exit code 2,
 * one line naming every bad option, no runner (so no SparkSession) and no output. Bad stores
 * and models for these commands go through the same store reader and model loader that
 * {@link BadInputStoreTest} and {@link BadInputModelTest} drive through {@code train}; running
 * them through analyze and encode waits for those commands to be wired to Spark.
 */
class BadInputOptionsTest {
  @TempDir
  Path tmp;

  @Test
  void givenAnalyzeWritingOverItsInput_whenRun_thenExitTwoAndNoRunner() {
    Path out = tmp.resolve("acts");
    Cli.Result r = Cli.run("analyze", "--model", tmp.resolve("model").toString(), "--input", out + "/",
        "--output", out.toString(), "--top-k", "0");
    String msg = r.failedWith(2);
    assertTrue(msg.startsWith("invalid options (2 problems): "), msg);
    assertTrue(msg.contains("--top-k") && msg.contains("is the same location as --input"), msg);
    assertTrue(msg.endsWith("(at sae analyze). Fix: see 'sae analyze --help'"), msg);
    assertEquals(0, r.runnersObtained());
    assertNoOutput(out);
  }

  @Test
  void givenEncodeWritingOverItsModel_whenRun_thenExitTwoAndNoRunner() {
    Path model = tmp.resolve("model");
    Cli.Result r = Cli.run("encode", "--model", model.toString(), "--input", tmp.resolve("acts").toString(),
        "--output", model + "/", "--batch-size", "-1");
    String msg = r.failedWith(2);
    assertTrue(msg.contains("--batch-size must be >= 0 (0 = automatic), got -1"), msg);
    assertTrue(msg.contains("is the same location as --model"), msg);
    assertEquals(0, r.runnersObtained());
    assertNoOutput(model);
  }

  @Test
  void givenEncodeWithAnUnknownPolicy_whenRun_thenExitTwoListingTheAllowedValues() {
    Cli.Result r = Cli.run("encode", "--model", "m", "--input", "i", "--output",
        tmp.resolve("codes").toString(), "--on-invalid", "ignore");
    String msg = r.failedWith(2);
    assertTrue(msg.contains("--on-invalid") && msg.contains("fail, skip"), msg);
    assertEquals(0, r.runnersObtained());
    assertNoOutput(tmp.resolve("codes"));
  }
}
