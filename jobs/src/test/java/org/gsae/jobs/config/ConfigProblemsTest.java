package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.gsae.core.error.ConfigException;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigProblemsTest {

  private static ConfigException problems(String hocon, String... sets) {
    return assertThrows(ConfigException.class,
        () -> ConfigLoader.fromHocon(hocon, List.of(sets), Map.of()));
  }

  /** The single problem that mentions {@code key}, failing if none or several do. */
  private static String problemAbout(ConfigException e, String key) {
    List<String> hits = e.problems().stream().filter(p -> p.contains(key)).toList();
    if (hits.size() != 1) {
      fail("expected exactly one problem naming " + key + ", got " + hits + " in " + e.problems());
    }
    return hits.get(0);
  }

  @Test
  void givenOneOfEveryKindOfMistake_whenLoaded_thenAllAreReportedInOneException() {
    ConfigException e = problems("""
        input.path = "/data/acts"
        input.column = ""
        input.on_invalid = explode
        input.cache_level = "memory"
        output.path = "/data/acts//"
        model.d_sae = 4096
        model.expansion_factor = 4
        model.variant = fancy
        train.lr = "fast"
        train.steps = 0
        train.batch_size = 2.5
        train.shuffle = "maybe"
        train.sparsity_coeficient = 3
        spark.partitions = -1
        analyze.top_k = [1, 2]
        """, "train.adam_beta2=1.5", "colour=blue");
    assertEquals(ErrorCode.USAGE, e.code());

    // unknown keys, with and without a suggestion
    assertTrue(problemAbout(e, "train.sparsity_coeficient")
        .contains("did you mean 'train.sparsity_coefficient'?"));
    assertTrue(problemAbout(e, "'colour'").contains("unknown key"));
    // wrong types: key, value and expected type
    String lr = problemAbout(e, "train.lr ");
    assertTrue(lr.contains("\"fast\"") && lr.contains("expected a number"), lr);
    String batch = problemAbout(e, "train.batch_size");
    assertTrue(batch.contains("2.5") && batch.contains("whole number"), batch);
    assertTrue(problemAbout(e, "train.shuffle").contains("expected a boolean"));
    assertTrue(problemAbout(e, "analyze.top_k").contains("got a list"));
    // values not allowed
    assertTrue(problemAbout(e, "input.on_invalid").contains("expected one of fail, skip"));
    assertTrue(problemAbout(e, "model.variant").contains("expected one of paper, saelens"));
    assertTrue(problemAbout(e, "input.cache_level").contains("MEMORY_AND_DISK"));
    // out of range, from the records' own validation (TrainConfig, InputConfig, SparkSettings)
    assertTrue(problemAbout(e, "train.steps").contains("got 0"));
    assertTrue(problemAbout(e, "train.adam_beta2").contains("1.5"));
    assertTrue(problemAbout(e, "input.column").contains("empty"));
    assertTrue(problemAbout(e, "spark.partitions").contains("got -1"));
    // conflicting keys
    String conflict = problemAbout(e, "model.expansion_factor");
    assertTrue(conflict.contains("model.d_sae") && conflict.contains("conflict"), conflict);
    // the output would overwrite the input (trailing slashes do not matter)
    assertTrue(problemAbout(e, "output.path").contains("same location as input.path"));

    assertEquals(15, e.problems().size(), String.join("\n", e.problems()));
    assertTrue(e.getMessage().startsWith("invalid configuration (15 problems): "));
    assertTrue(e.getMessage().indexOf('\n') < 0, "one line");
  }

  @Test
  void givenMissingRequiredKeys_whenLoaded_thenEachIsNamedAlongsideTheOtherProblems() {
    ConfigException e = problems("model.variant = paper\ntrain.lr = -1", "train.step=10");
    assertTrue(problemAbout(e, "input.path").startsWith("missing required key input.path"));
    assertTrue(problemAbout(e, "output.path").startsWith("missing required key output.path"));
    assertTrue(problemAbout(e, "train.lr ").contains("got -1.0"));
    assertTrue(problemAbout(e, "train.step'").contains("did you mean 'train.steps'?"));
    assertEquals(4, e.problems().size(), String.join("\n", e.problems()));
  }

  @Test
  void givenUnknownKeys_whenSuggesting_thenTyposMovedKeysAndTruncationsAreRecognised() {
    ConfigException e = problems("input.path = a\noutput.path = b\n"
        + "train.learnign_rate = 1\nmodel.lr = 1\ntrain.lr_warmup = 3\nmodel.dsae = 3\n"
        + "completely.unrelated.thing = 1");
    assertTrue(problemAbout(e, "'model.lr'").contains("did you mean 'train.lr'?"));
    assertTrue(problemAbout(e, "'train.lr_warmup'").contains("did you mean 'train.lr_warmup_steps'?"));
    assertTrue(problemAbout(e, "'model.dsae'").contains("did you mean 'model.d_sae'?"));
    assertTrue(problemAbout(e, "completely.unrelated.thing").contains("see conf/train.conf"));
    assertTrue(problemAbout(e, "train.learnign_rate").contains("unknown key"));
  }

  @Test
  void givenWindowSizes_whenLoaded_thenUnitsAreBytesAndNonsenseIsNamed() {
    String paths = "input.path = a\noutput.path = b\n";
    assertEquals(512L << 20, ConfigLoader.fromHocon(paths + "input.window_bytes = 512m",
        List.of(), Map.of()).window().bytes());
    assertEquals(3L << 30, ConfigLoader.fromHocon(paths, List.of("input.window_bytes=3g"),
        Map.of()).window().bytes());
    assertEquals(1000, ConfigLoader.fromHocon(paths + "input.window_bytes = 1000\n"
        + "input.prefetch_windows = 0", List.of(), Map.of()).window().bytes());
    ConfigException e = problems(paths + "input.window_bytes = lots\ninput.prefetch_windows = -1");
    assertTrue(problemAbout(e, "input.window_bytes").contains("a size in bytes"),
        e.problems().toString());
    assertTrue(problemAbout(e, "input.prefetch_windows").contains("got -1"),
        e.problems().toString());
  }

  @Test
  void givenBothWidthKeys_whenLoaded_thenTheConflictIsTheOnlyProblem() {
    ConfigException e = problems("input.path = a\noutput.path = b\n"
        + "model.d_sae = 100\nmodel.expansion_factor = 2");
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("set only one of them"));
  }

  @Test
  void givenOutputEqualToInput_whenPathsDifferOnlyInTrailingSlashes_thenItIsRejected() {
    for (String[] pair : new String[][] {{"/a/b", "/a/b/"}, {"s3a://bkt/x//", "s3a://bkt/x"},
        {"rel/dir", "rel/dir"}}) {
      ConfigException e = problems("input.path = \"" + pair[0] + "\"\noutput.path = \""
          + pair[1] + "\"");
      assertEquals(1, e.problems().size(), e.problems().toString());
      assertTrue(e.problems().get(0).contains("same location"));
    }
    ConfigLoader.fromHocon("input.path = /a/b\noutput.path = /a/bc", List.of(), Map.of());
  }

  @Test
  void givenMalformedSetOverrides_whenLoaded_thenEachIsReported() {
    ConfigException e = problems("input.path = a\noutput.path = b", "novalue", "=3",
        "a..b=1");
    assertTrue(problemAbout(e, "'novalue'").contains("key=value"));
    assertTrue(problemAbout(e, "'=3'").contains("key=value"));
    assertTrue(problemAbout(e, "a..b").contains("not a valid key"));
  }

  @Test
  void givenAnUnsetSubstitution_whenLoaded_thenTheProblemNamesIt() {
    ConfigException e = problems("input.path = ${NO_SUCH_VARIABLE_HERE}\noutput.path = b");
    assertTrue(e.problems().get(0).contains("NO_SUCH_VARIABLE_HERE"), e.problems().toString());
  }

  @Test
  void givenSyntaxErrors_whenParsed_thenTheErrorNamesTheOrigin(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("broken.conf");
    java.nio.file.Files.writeString(file, "input.path = \"unterminated\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Optional.of(file.toString()), List.of(), Map.of()));
    assertTrue(e.problems().get(0).contains("broken.conf"), e.problems().toString());
  }

  @Test
  void givenAMissingConfigFile_whenLoaded_thenAUsageErrorNamesIt(@TempDir Path dir) {
    String missing = dir.resolve("nope.conf").toString();
    GsaeException e = assertThrows(GsaeException.class,
        () -> ConfigLoader.load(Optional.of(missing), List.of(), Map.of()));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("does not exist"),
        e.getMessage());
    GsaeException d = assertThrows(GsaeException.class,
        () -> ConfigLoader.load(Optional.of(dir.toString()), List.of(), Map.of()));
    assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
  }
}
