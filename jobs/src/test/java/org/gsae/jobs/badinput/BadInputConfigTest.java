package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad job config given to {@code sae train}: exit code 2, one stderr line naming the key,
 * the value and what is allowed, found before any runner (so before any SparkSession) exists,
 * and nothing written. The input path does not exist, which proves the config is checked
 * before the store is looked at.
 */
class BadInputConfigTest {
  @TempDir
  Path tmp;

  private Path out() {
    return tmp.resolve("out");
  }

  /** Trains with {@code more} appended to the fast settings; expects the config failure contract. */
  private String failsWithUsage(String... more) {
    return failsWithUsageOn(tmp.resolve("store").toString(), more);
  }

  private String failsWithUsageOn(String input, String... more) {
    Cli.Result r = Cli.train(input, out(), more);
    String msg = r.failedWith(2);
    assertEquals(0, r.runnersObtained(), "no runner, so no SparkSession, for a bad config");
    assertNoOutput(out());
    assertTrue(msg.startsWith("invalid configuration: "), msg);
    assertTrue(msg.endsWith("Fix: edit the config file or the --set overrides; every key is documented"
        + " in conf/train.conf"), msg);
    return msg;
  }

  @Test
  void givenAnUnknownKey_whenTraining_thenExitTwoSuggestingTheKnownOne() {
    String msg = failsWithUsage("--set", "train.lrr=0.001");
    assertTrue(msg.contains("unknown key 'train.lrr' (from --set train.lrr); did you mean 'train.lr'?"),
        msg);
  }

  @Test
  void givenAWrongType_whenTraining_thenExitTwoNamingKeyValueAndType() {
    String msg = failsWithUsage("--set", "train.batch_size=eight");
    assertTrue(msg.contains("train.batch_size = \"eight\" (from --set train.batch_size) has the wrong"
        + " type: expected an integer, got a string"), msg);
  }

  @Test
  void givenAWrongTypeInAConfigFile_whenTraining_thenExitTwoNamingTheFile() throws IOException {
    Path conf = tmp.resolve("job.conf");
    Files.writeString(conf, "train {\n  steps = 2\n  shuffle = maybe\n}\n", StandardCharsets.UTF_8);
    String msg = failsWithUsage("--conf", conf.toString());
    assertTrue(msg.contains("train.shuffle = \"maybe\" (from " + conf + ": 3) has the wrong type:"
        + " expected a boolean (true or false), got a string"), msg);
  }

  @Test
  void givenANegativeLearningRate_whenTraining_thenExitTwoNamingTheRange() {
    String msg = failsWithUsage("--set", "train.lr=-0.001");
    assertTrue(msg.contains("train.lr must be a finite number > 0, got -0.001"), msg);
  }

  @Test
  void givenBatchSizeZero_whenTraining_thenExitTwoNamingTheRange() {
    String msg = failsWithUsage("--set", "train.batch_size=0");
    assertTrue(msg.contains("train.batch_size must be >= 1, got 0"), msg);
  }

  @Test
  void givenDSaeBelowOne_whenTraining_thenExitTwoNamingTheRange() {
    String msg = failsWithUsage("--set", "model.d_sae=0");
    assertTrue(msg.contains("model.d_sae must be >= 1, got 0"), msg);
  }

  @Test
  void givenDSaeAndExpansionFactor_whenTraining_thenExitTwoSayingTheyConflict() {
    String msg = failsWithUsage("--set", "model.expansion_factor=4");
    assertTrue(msg.contains("model.d_sae = 8 and model.expansion_factor = 4.0 conflict: set only one"),
        msg);
  }

  @Test
  void givenOutputPathEqualToInputPath_whenTraining_thenExitTwoAndTheStoreIsUntouched()
      throws IOException {
    Path store = tmp.resolve("store");
    StoreFiles.floats(store.resolve("a.parquet"), 0, StoreFiles.validRows(0, 10));
    var before = Cli.snapshot(store);
    // The same directory spelled with a trailing slash is the same location.
    String msg = failsWithUsageOn(store + "/", "--set", "output.path=" + store);
    assertTrue(msg.contains("output.path = '" + store + "' is the same location as input.path = '"
        + store + "/'; the job would write over its activation store"), msg);
    assertEquals(before, Cli.snapshot(store), "the store is untouched");
  }

  @Test
  void givenSeveralProblems_whenTraining_thenAllAreOnTheOneLine() {
    Cli.Result r = Cli.train(tmp.resolve("store").toString(), out(), "--set", "train.lr=-1",
        "--set", "train.batch_size=0", "--set", "model.d_sae=0", "--set", "train.stepz=3");
    String msg = r.failedWith(2);
    assertTrue(msg.startsWith("invalid configuration (4 problems): "), msg);
    for (String key : new String[] {"train.lr", "train.batch_size", "model.d_sae", "'train.stepz'"}) {
      assertTrue(msg.contains(key), () -> key + " in " + msg);
    }
    assertEquals(0, r.runnersObtained());
    assertNoOutput(out());
  }

  // ---- found by ConfigLoaderFuzzTest (before the fix: exit 1 with a Java exception name, or a
  // StackOverflowError escaping Main.run) ----------------------------------------------------

  @Test
  void givenAPropertiesFileWithABadUnicodeEscape_whenTraining_thenExitTwoNamingTheFile()
      throws IOException {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "train.steps=2\ninput.column=act\\u12\n", StandardCharsets.UTF_8);
    String msg = failsWithUsage("--conf", conf.toString());
    assertTrue(msg.contains("cannot parse " + conf + " as properties: Malformed \\uxxxx encoding."
        + " (a backslash-u must be followed by four hex digits"), msg);
  }

  @Test
  void givenAConfigFileNestedTooDeeply_whenTraining_thenExitTwoInsteadOfAStackOverflow()
      throws IOException {
    Path conf = tmp.resolve("deep.conf");
    Files.writeString(conf, "train.steps = " + "[".repeat(200_000) + "\n", StandardCharsets.UTF_8);
    String msg = failsWithUsage("--conf", conf.toString());
    assertTrue(msg.contains("cannot parse " + conf + ": values are nested too deeply"), msg);
  }

  @Test
  void givenASetValueNestedTooDeeply_whenTraining_thenItIsTakenAsTextAndRejectedByType() {
    String msg = failsWithUsage("--set", "train.lr=" + "{a:".repeat(200_000));
    assertTrue(msg.contains("train.lr = \"{a:{a:"), msg);
    assertTrue(msg.contains("has the wrong type: expected a number, got a string"), msg);
  }

  /** A valid file that made --set fail with exit 1 (the override could not be applied). */
  @Test
  void givenASetIntoAnObjectMergedOntoASubstitution_whenDryRun_thenTheOverrideWins()
      throws IOException {
    Path conf = tmp.resolve("merge.conf");
    Files.writeString(conf, "spark = ${?NOT_SET}\nspark { partitions = 3 }\n", StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("train", "--conf", conf.toString(), "--set", "input.path=/in",
        "--set", "output.path=" + out(), "--set", "spark.partitions=5", "--dry-run");
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().contains("spark.partitions = 5\n"), r.stdout());
    assertEquals("", r.stderr());
    assertEquals(0, r.runnersObtained());
    assertNoOutput(out());
  }
}
