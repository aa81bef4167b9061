package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * conf/train.conf is the documentation of the config keys: it must name exactly the keys the
 * loader accepts, document each one, and load as-is (to the defaults) once paths are given.
 */
class TrainConfDocsTest {

  /** A key line, active ({@code key = v}) or commented out ({@code #key = v}). */
  private static final Pattern KEY_LINE =
      Pattern.compile("^(#?)\\s*([a-z_]+(?:\\.[a-z0-9_]+)+)\\s*[=:].*$");

  static Path trainConf() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("conf/train.conf");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("conf/train.conf not found above " + dir);
  }

  /** "default: X" in a comment, X ending at a sentence end, ';' or " (". */
  private static final Pattern DOC_DEFAULT =
      Pattern.compile("default: (\"[^\"]*\"|[^\\s;,()]+?)\\.?(?:\\s|;|$)");

  private record DocumentedKey(String key, boolean active, String value, List<String> comment) {}

  private static List<DocumentedKey> documentedKeys() throws IOException {
    List<String> lines = Files.readAllLines(trainConf(), StandardCharsets.UTF_8);
    List<DocumentedKey> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = KEY_LINE.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      List<String> comment = new ArrayList<>();
      for (int j = i - 1; j >= 0 && lines.get(j).startsWith("#")
          && !KEY_LINE.matcher(lines.get(j)).matches(); j--) {
        comment.add(0, lines.get(j).substring(1).strip());
      }
      String value = lines.get(i).substring(lines.get(i).indexOf('=') + 1).strip();
      keys.add(new DocumentedKey(m.group(2), m.group(1).isEmpty(), value, comment));
    }
    return keys;
  }

  @Test
  void givenTrainConf_whenItsKeysAreListed_thenTheyAreExactlyTheAcceptedKeys() throws IOException {
    Set<String> documented = new LinkedHashSet<>();
    for (DocumentedKey k : documentedKeys()) {
      assertTrue(documented.add(k.key()), "documented twice: " + k.key());
    }
    assertEquals(new TreeSet<>(ConfigKeys.names()), new TreeSet<>(documented),
        "conf/train.conf and ConfigKeys disagree");
  }

  @Test
  void givenTrainConf_whenEachKeyIsRead_thenItHasACommentWithTypeAndDefault() throws IOException {
    for (DocumentedKey k : documentedKeys()) {
      String text = String.join(" ", k.comment());
      assertTrue(text.contains("type:"), k.key() + " has no 'type:' in its comment: " + text);
      assertTrue(text.contains("default") || text.contains("required"),
          k.key() + " names no default: " + text);
      KeySpec spec = ConfigKeys.find(k.key()).orElseThrow();
      for (String allowed : spec.allowed()) {
        assertTrue(text.contains(allowed), k.key() + " does not list allowed value " + allowed);
      }
      if (spec.required()) {
        assertTrue(text.contains("required"), k.key() + " is required but not documented so");
      }
      if (spec.defaultValue() == null) {
        // unset by default: the documented line must not set it (paths come from ${?VAR})
        assertTrue(!k.active() || spec.required(), k.key() + " is set although it has no default");
      }
    }
  }

  @Test
  void givenAnActiveKey_whenItsCommentNamesADefault_thenTheLineSetsThatValue() throws IOException {
    int checked = 0;
    for (DocumentedKey k : documentedKeys()) {
      if (!k.active() || k.value().startsWith("${")) {
        continue;
      }
      Matcher m = DOC_DEFAULT.matcher(String.join(" ", k.comment()));
      assertTrue(m.find(), k.key() + ": no 'default: X' in its comment");
      assertEquals(hocon(m.group(1)), hocon(k.value()), k.key() + ": comment and value differ");
      checked++;
    }
    assertEquals(ConfigKeys.ALL.stream().filter(s -> s.defaultValue() != null).count(), checked);
  }

  /** A HOCON scalar as a comparable value: numbers as double, words case-insensitively. */
  private static Object hocon(String text) {
    Object v = com.typesafe.config.ConfigFactory.parseString("v = " + text).getValue("v").unwrapped();
    return v instanceof Number n ? (Object) n.doubleValue() : v.toString().toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void givenTrainConfAsIs_whenLoadedWithPaths_thenEveryValueIsTheDefault() {
    String file = trainConf().toString();
    JobConfig viaSet = ConfigLoader.load(Optional.of(file),
        List.of("input.path=/in", "output.path=/out"), Map.of());
    assertEquals(JobConfig.defaults("/in", "/out"), viaSet);
    JobConfig viaEnv = ConfigLoader.load(Optional.of(file), List.of(),
        Map.of("GSAE_INPUT", "/in", "GSAE_OUTPUT", "/out"));
    assertEquals(viaSet, viaEnv);
  }

  @Test
  void givenTrainConfWithoutPaths_whenLoaded_thenOnlyThePathsAreMissing() {
    org.gsae.core.error.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.gsae.core.error.ConfigException.class,
        () -> ConfigLoader.load(Optional.of(trainConf().toString()), List.of(), Map.of()));
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("input.path"));
    assertTrue(e.problems().get(1).contains("output.path"));
  }
}
