package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;

/**
 * Fuzzing of the job-config loader: arbitrary text as a HOCON, JSON or {@code .properties}
 * file, and arbitrary {@code --set} lists over a valid base. Every input must give a valid
 * {@link JobConfig} (which then survives a render-and-reload round trip, as
 * {@code --dry-run} output must) or a one-line {@link GsaeException} with code USAGE
 * ({@link org.gsae.core.error.ConfigException} is one); any other exception, or a try that
 * takes longer than {@link #PER_TRY}, fails the property.
 */
class ConfigLoaderFuzzTest {
  private static final Duration PER_TRY = Duration.ofSeconds(5);
  private static final Map<String, String> ENV = Map.of("GSAE_IN", "/data/acts", "HOME", "/home/u");
  private static final String BASE = "input.path = /data/acts\noutput.path = /runs/one\n";

  private static Path fileDir;

  /** Loads; returns the config or null after a USAGE error. Anything else fails the try. */
  static JobConfig loadsOrRejects(Supplier<JobConfig> load) {
    return assertTimeoutPreemptively(PER_TRY, () -> {
      JobConfig cfg;
      try {
        cfg = load.get();
      } catch (GsaeException e) {
        assertEquals(ErrorCode.USAGE, e.code(), e::getMessage);
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e::getMessage);
        return null;
      }
      assertEquals(cfg, ConfigLoader.fromHocon(ConfigRenderer.toHocon(cfg), List.of(), Map.of()),
          "render and reload");
      return cfg;
    });
  }

  // ---- generators -----------------------------------------------------------------------

  /** Keys that exist, their sections, near misses and junk. */
  static Arbitrary<String> keys() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.of(ConfigKeys.names())),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("input", "train", "model", "spark", "output",
            "analyze", "train.lr.x", "Train.LR", "train..lr", ".lr", "train.", "\"train.lr\"",
            "input.\"path\"", "a b", "", "=", "train.lr=1", "${x}", "include")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz._\"$ ")
            .ofMaxLength(16)));
  }

  /** Values of every type, edge numbers, HOCON syntax and substitutions. */
  static Arbitrary<String> values() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, wellFormedValues()),
        net.jqwik.api.Tuple.of(2, Arbitraries.of("", " ", "{", "}", "[", "]", "${NOPE}", "a\nb",
            "x = 1", "\\", "\"unterminated", "'single'", "# comment", "// comment",
            "include \"nothing.conf\"", "\\u12", "\\uZZZZ", "\\u00e9", "x\\", "s3a://b/k#frag",
            "/data/*.parquet", "0x10", "1_000", ".5", "5.", "+7", "007", "${")),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(24)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars("{}[]:=,\"'$?.#/\\\n a1eE-+")
            .ofMaxLength(24)));
  }

  /** Values HOCON parses, of every type the keys take and some they do not. */
  static Arbitrary<String> wellFormedValues() {
    return Arbitraries.oneOf(
        Arbitraries.of("0", "1", "-1", "2", "8", "1e-3", "-0.001", "0.0", "1e400", "-1e400",
            "1e999999999", "1e-999999999", "NaN", "Infinity", "-0", "2147483648",
            "9223372036854775808", "-9223372036854775809", "3.0", "1.5", "0.999", "1", "1.0"),
        Arbitraries.integers().between(-3, 5000).map(String::valueOf),
        Arbitraries.doubles().between(-2, 2).map(String::valueOf),
        Arbitraries.of("true", "false", "yes", "off", "null", "paper", "SAELENS", "cosine",
            " constant ", "skip", "FAIL", "memory_only", "DISK_ONLY_2", "local[2]", "\"\"",
            "\"quoted\"", "/data/acts", "/runs/one", "/runs/one/", "/runs/two", "hdfs://nn/x",
            "{a:1}", "{}", "[1,2]", "[]", "${GSAE_IN}", "${?NOPE}", "${train.steps}",
            "${input.path}", "\"${GSAE_IN}\"", "\"\\u0000\"", "\u00e9\u4e2d", "activation"));
  }

  @Provide
  Arbitrary<String> configTexts() {
    Arbitrary<String> goodLine = Combinators.combine(Arbitraries.of(ConfigKeys.names()),
        Arbitraries.of(" = ", ": ", " "), wellFormedValues()).as((k, sep, v) -> k + sep + v);
    Arbitrary<String> anyLine = Combinators.combine(keys(), Arbitraries.of(" = ", ": ", " ", "=", " += "),
        values()).as((k, sep, v) -> k + sep + v);
    Arbitrary<String> line = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, goodLine),
        net.jqwik.api.Tuple.of(1, anyLine));
    Arbitrary<String> lines = line.list().ofMaxSize(8).map(l -> String.join("\n", l));
    Arbitrary<String> withBase = lines.map(l -> BASE + l);
    Arbitrary<String> nested = Combinators.combine(Arbitraries.of("input", "train", "model", "spark"),
        lines).as((section, l) -> BASE + section + " {\n" + l + "\n}\n");
    Arbitrary<String> syntax = Arbitraries.strings().withChars("{}[]:=,\"'$?.#/\\\n \tabtrain.lr01eE-+")
        .ofMaxLength(120);
    Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(120);
    // Deep nesting: a parser that recurses per level must not overflow the stack.
    Arbitrary<String> deep = Combinators.combine(Arbitraries.of("[", "{a:", "a{", "${"),
        Arbitraries.integers().between(1_000, 50_000)).as((open, depth) -> BASE + "x = "
            + open.repeat(depth));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, withBase), net.jqwik.api.Tuple.of(3, nested),
        net.jqwik.api.Tuple.of(1, lines), net.jqwik.api.Tuple.of(1, syntax),
        net.jqwik.api.Tuple.of(1, anyText), net.jqwik.api.Tuple.of(1, deep));
  }

  @Provide
  Arbitrary<List<String>> overrideLists() {
    Arbitrary<String> set = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Combinators.combine(keys(), values()).as((k, v) -> k + "=" + v)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(30)),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("=", "=1", "train.lr", "train.lr==1", " = ", "a=b=c")));
    return set.list().ofMaxSize(8);
  }

  // ---- properties ----------------------------------------------------------------------

  @Property(tries = 1000)
  void arbitraryHoconTextLoadsOrIsAUsageError(@ForAll("configTexts") String text) {
    loadsOrRejects(() -> ConfigLoader.fromHocon(text, List.of(), ENV));
  }

  /**
   * The same text as a file whose extension picks the syntax (HOCON, JSON, properties). Fewer
   * tries: each reads a file through a fresh Hadoop configuration (40-80 ms).
   */
  @Property(tries = 100)
  void arbitraryConfigFilesLoadOrAreAUsageError(@ForAll("configTexts") String text,
      @ForAll("extensions") String extension) throws IOException {
    Path file = Files.createTempFile(dir(), "job", extension);
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    try {
      loadsOrRejects(() -> ConfigLoader.load(Optional.of(file.toString()), List.of(), ENV));
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<String> extensions() {
    return Arbitraries.of(".conf", ".json", ".properties", ".PROPERTIES", "");
  }

  @Property(tries = 1000)
  void arbitraryOverridesLoadOrAreAUsageError(@ForAll("overrideLists") List<String> sets) {
    loadsOrRejects(() -> ConfigLoader.fromHocon(BASE, sets, ENV));
  }

  /** Overrides on top of arbitrary file text: the two sources interact (substitutions, objects). */
  @Property(tries = 500)
  void arbitraryTextAndOverridesLoadOrAreAUsageError(@ForAll("configTexts") String text,
      @ForAll("overrideLists") List<String> sets) {
    loadsOrRejects(() -> ConfigLoader.fromHocon(text, new ArrayList<>(sets), ENV));
  }

  // ---- inputs the properties above found (each failed before its fix) ---------------------

  /** Was: ConfigException.NotResolved from withValue, exit 1. */
  @Example
  void anOverrideIntoAnObjectBuiltWithPlusEqualsIsAppliedOrRejected() {
    loadsOrRejects(() -> ConfigLoader.fromHocon("input.path = /data/acts\noutput.path = /runs/one\n"
        + "input += 0\ninput.path = 0", List.of("input.path=0"), ENV));
  }

  /**
   * The same through an object merged onto an optional substitution: valid, and the override
   * wins. (With a non-empty environment the library cannot resolve this construct at all,
   * --set or not: "replace in parent not possible", a usage error.)
   */
  @Example
  void anOverrideIntoAnObjectMergedOntoASubstitutionWins() {
    JobConfig cfg = loadsOrRejects(() -> ConfigLoader.fromHocon(BASE + "spark = ${?NOT_SET}\n"
        + "spark { partitions = 3 }\n", List.of("spark.partitions=5"), Map.of()));
    assertEquals(5, cfg.spark().partitions());
  }

  /** Was: IllegalArgumentException from java.util.Properties, exit 1. */
  @Example
  void aPropertiesFileWithABadUnicodeEscapeIsAUsageError() throws IOException {
    Path file = Files.createTempFile(dir(), "job", ".properties");
    Files.write(file, (BASE.replace(" = ", "=") + "input.column=a\\u12\n").getBytes(StandardCharsets.UTF_8));
    try {
      assertEquals(null, loadsOrRejects(() -> ConfigLoader.load(Optional.of(file.toString()), List.of(), ENV)));
    } finally {
      Files.delete(file);
    }
  }

  /** Was: StackOverflowError out of the HOCON parser. */
  @Example
  void deeplyNestedTextIsAUsageError() {
    assertEquals(null, loadsOrRejects(() -> ConfigLoader.fromHocon(BASE + "x = " + "[".repeat(50_000),
        List.of(), ENV)));
    assertEquals(null, loadsOrRejects(() -> ConfigLoader.fromHocon(BASE,
        List.of("train.lr=" + "{a:".repeat(50_000)), ENV)));
  }

  /** The directory for config files; first starts Hadoop's local FileSystem, outside any timed try. */
  private static synchronized Path dir() throws IOException {
    if (fileDir == null) {
      org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration());
      fileDir = Files.createTempDirectory("gsae-config-fuzz");
    }
    return fileDir;
  }

  @AfterContainer
  static void removeDir() throws IOException {
    if (fileDir != null) {
      try (var files = Files.list(fileDir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(fileDir);
      fileDir = null;
    }
  }
}
