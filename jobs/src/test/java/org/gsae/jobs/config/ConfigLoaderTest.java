package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gsae.core.error.ConfigException;
import org.gsae.core.model.Variant;
import org.gsae.core.train.LrSchedule;
import org.gsae.core.train.TrainConfig;
import org.gsae.spark.store.OnInvalid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static final String HOCON = """
      input { path = "/data/acts", column = "resid", on_invalid = skip, cache_level = disk_only }
      output.path = "/runs/r1"
      model { d_sae = 2048, variant = saelens, init_from = "/models/m0" }
      train {
        steps = 1e4            # a whole number written as a double is accepted
        batch_size = 512
        lr = 1e-3
        lr_schedule = cosine
        lr_warmup_steps = 100
        shuffle = false
        seed = 7
      }
      spark { partitions = 16, master = "local[2]" }
      analyze { after_train = false, top_k = 5 }
      """;

  @Test
  void givenHocon_whenLoaded_thenEveryGivenValueIsTakenAndTheRestAreDefaults() {
    JobConfig c = ConfigLoader.fromHocon(HOCON, List.of(), Map.of());
    assertEquals("/data/acts", c.input().path());
    assertEquals("resid", c.input().column());
    assertEquals(OnInvalid.SKIP, c.input().onInvalid());
    assertEquals("DISK_ONLY", c.input().storageLevel());
    assertEquals("/runs/r1", c.output().path());
    assertEquals(2048, c.model().dSae());
    assertNull(c.model().expansionFactor());
    assertEquals(Optional.of("/models/m0"), c.model().initFromPath());
    assertEquals(Variant.SAELENS, c.model().variant());
    assertEquals(Variant.SAELENS, c.train().variant());
    assertEquals(10_000L, c.train().steps());
    assertEquals(512, c.train().batchSize());
    assertEquals(1e-3, c.train().lr());
    assertEquals(LrSchedule.COSINE, c.train().lrSchedule());
    assertEquals(100L, c.train().lrWarmupSteps());
    assertFalse(c.train().shuffle());
    assertEquals(7L, c.train().seed());
    TrainConfig d = TrainConfig.defaults();
    assertEquals(d.adamBeta2(), c.train().adamBeta2());
    assertEquals(d.sparsityCoefficient(), c.train().sparsityCoefficient());
    assertEquals(d.checkpointEvery(), c.train().checkpointEvery());
    assertEquals(16, c.spark().partitions());
    assertEquals(Optional.of("local[2]"), c.spark().configuredMaster());
    assertEquals(new AnalyzeSettings(false, 5, AnalyzeSettings.DEFAULT_BATCH_SIZE, null, null), c.analyze());
  }

  @Test
  void givenOnlyThePaths_whenLoaded_thenItEqualsTheDocumentedDefaults() {
    JobConfig c = ConfigLoader.fromHocon("input.path = a\noutput.path = b", List.of(), Map.of());
    assertEquals(JobConfig.defaults("a", "b"), c);
    assertEquals(1024, c.model().dSae(128), "default expansion factor 8");
  }

  @Test
  void givenAPropertiesFile_whenLoaded_thenStringValuesAreConvertedToTheirTypes(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("job.properties");
    Files.writeString(file, String.join("\n",
        "input.path=/data/acts",
        "output.path=/runs/r2",
        "model.expansion_factor=4",
        "train.lr=2.5e-4",
        "train.steps=300",
        "train.shuffle=no",
        "train.lr_schedule=COSINE",
        "analyze.top_k=7"), StandardCharsets.UTF_8);
    JobConfig c = ConfigLoader.load(Optional.of(file.toString()), List.of(), Map.of());
    assertEquals(4.0, c.model().expansionFactor());
    assertEquals(2.5e-4, c.train().lr());
    assertEquals(300L, c.train().steps());
    assertFalse(c.train().shuffle());
    assertEquals(LrSchedule.COSINE, c.train().lrSchedule());
    assertEquals(7, c.analyze().topK());
    assertEquals(256, c.model().dSae(64));
  }

  @Test
  void givenAHoconFile_whenLoadedByUri_thenItIsReadThroughHadoop(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("job.conf");
    Files.writeString(file, HOCON, StandardCharsets.UTF_8);
    JobConfig byPath = ConfigLoader.load(Optional.of(file.toString()), List.of(), Map.of());
    JobConfig byUri = ConfigLoader.load(Optional.of(file.toUri().toString()), List.of(), Map.of());
    assertEquals(ConfigLoader.fromHocon(HOCON, List.of(), Map.of()), byPath);
    assertEquals(byPath, byUri);
  }

  @Test
  void givenSetOverrides_whenLoaded_thenTheyWinAndAreParsedAsHoconValues() {
    JobConfig c = ConfigLoader.fromHocon(HOCON, List.of(
        "train.lr=1e-3",
        "train.lr=5e-4",                       // later --set wins
        "train.shuffle=true",
        "model.d_sae=null",                    // unsets the file's d_sae ...
        "model.expansion_factor=2",            // ... so this does not conflict
        "input.path=hdfs://nn:8020/acts/l12",  // '//' would start a HOCON comment
        "output.path=/runs/glob-*.out",        // '*' is not allowed unquoted in HOCON
        "spark.master=\"local[4]\"",
        "analyze.after_train = true"), Map.of());
    assertEquals(5e-4, c.train().lr());
    assertTrue(c.train().shuffle());
    assertNull(c.model().dSae());
    assertEquals(2.0, c.model().expansionFactor());
    assertEquals("hdfs://nn:8020/acts/l12", c.input().path());
    assertEquals("/runs/glob-*.out", c.output().path());
    assertEquals(Optional.of("local[4]"), c.spark().configuredMaster());
    assertTrue(c.analyze().afterTrain());
  }

  @Test
  void givenOnlySetOverrides_whenLoadedWithoutAFile_thenDefaultsFillTheRest() {
    JobConfig c = ConfigLoader.load(Optional.empty(),
        List.of("input.path=/a", "output.path=/b", "train.steps=5"), Map.of());
    assertEquals(JobConfig.defaults("/a", "/b").train().withSteps(5), c.train());
  }

  @Test
  void givenEnvironmentSubstitutions_whenLoaded_thenTheInjectedEnvironmentIsUsed() {
    String hocon = "input.path = ${?ACTS}\noutput.path = ${OUT}\"/run\"\n"
        + "spark.master = ${?NOT_SET_ANYWHERE}";
    JobConfig c = ConfigLoader.fromHocon(hocon, List.of(),
        Map.of("ACTS", "/env/acts", "OUT", "/env/out"));
    assertEquals("/env/acts", c.input().path());
    assertEquals("/env/out/run", c.output().path());
    assertEquals(Optional.empty(), c.spark().configuredMaster());
  }

  @Test
  void givenAConfig_whenRenderedAndReloaded_thenTheSameConfigComesBack() {
    JobConfig c = ConfigLoader.fromHocon(HOCON, List.of("input.column=\"a \\\"quoted\\\" col\""),
        Map.of());
    assertEquals("a \"quoted\" col", c.input().column());
    JobConfig again = ConfigLoader.fromHocon(ConfigRenderer.toHocon(c), List.of(), Map.of());
    assertEquals(c, again);
    JobConfig d = JobConfig.defaults("/x", "/y");
    assertEquals(d, ConfigLoader.fromHocon(ConfigRenderer.toHocon(d), List.of(), Map.of()));
  }

  /**
   * HOCON includes name files relative to the including file, as HOCON users expect (also
   * nested, and with file(...) and required(...)); a missing include is an error, not silence.
   */
  @Test
  void givenIncludes_whenLoaded_thenTheyAreReadRelativeToTheIncludingFile(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("conf/parts"));
    Files.writeString(dir.resolve("conf/parts/train.conf"), "train { lr = 0.002 }\ninclude \"more.conf\"\n");
    Files.writeString(dir.resolve("conf/parts/more.conf"), "train.steps = 77\n");
    Files.writeString(dir.resolve("conf/model.conf"), "model.d_sae = 96\n");
    Files.writeString(dir.resolve("conf/job.conf"), "include \"parts/train.conf\"\n"
        + "include required(file(\"model.conf\"))\ninput.path = /a\noutput.path = /b\n");
    JobConfig c = ConfigLoader.load(Optional.of(dir.resolve("conf/job.conf").toString()), List.of(), Map.of());
    assertEquals(0.002, c.train().lr());
    assertEquals(77L, c.train().steps());
    assertEquals(96, c.model().dSae());

    Files.writeString(dir.resolve("conf/broken.conf"), "include \"nowhere.conf\"\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        Optional.of(dir.resolve("conf/broken.conf").toString()), List.of(), Map.of()));
    assertTrue(e.getMessage().contains("included file file:" + dir.resolve("conf/nowhere.conf")
        + " does not exist (a relative name is relative to the including file"), e.getMessage());
  }

  /** An object given with --set merges into the file's object key by key. */
  @Test
  void givenAnObjectOverride_whenLoaded_thenItMergesInsteadOfReplacing() {
    JobConfig c = ConfigLoader.fromHocon("input.path = /a\noutput.path = /b\ntrain { steps = 3, seed = 5 }\n",
        List.of("train={lr=1e-3}"), Map.of());
    assertEquals(1e-3, c.train().lr());
    assertEquals(3L, c.train().steps(), "kept from the file");
    assertEquals(5L, c.train().seed(), "kept from the file");
  }
}
