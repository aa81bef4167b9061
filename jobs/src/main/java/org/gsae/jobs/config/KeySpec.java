package org.gsae.jobs.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One accepted config key: its name, value kind, default, allowed values and how to read it
 * back from a {@link JobConfig} (for {@code --dry-run} and provenance).
 *
 * @param key          dotted key, e.g. {@code train.lr}
 * @param kind         the value kind the loader accepts
 * @param defaultValue value used when the key is absent (Integer, Long, Double, Boolean or
 *                     String as {@code kind} says), or null when absent means "unset"
 * @param required     whether the key must be given
 * @param allowed      for {@link Kind#ENUM}: the allowed values in their canonical spelling
 * @param getter       the effective value in a {@link JobConfig} (enums as their canonical
 *                     spelling), null when unset
 */
public record KeySpec(String key, Kind kind, Object defaultValue, boolean required,
    List<String> allowed, Function<JobConfig, Object> getter) {

  /** Value kinds, each with the phrase used in "expected ..." messages. */
  public enum Kind {
    STRING("a string"),
    INT("an integer"),
    LONG("an integer"),
    BYTES("a size in bytes (a whole number, or with a unit: 512m, 4g)"),
    DOUBLE("a number"),
    BOOLEAN("a boolean (true or false)"),
    ENUM("one of the listed words");

    private final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    /** How the expected type is named in a problem message. */
    public String expected() {
      return expected;
    }
  }

  public KeySpec {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(getter, "getter");
    allowed = List.copyOf(allowed);
    if ((kind == Kind.ENUM) == allowed.isEmpty()) {
      throw new IllegalArgumentException("allowed values are given exactly for ENUM keys: " + key);
    }
  }

  /** The part after the last dot, e.g. {@code lr} for {@code train.lr}. */
  public String leaf() {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** The part before the last dot, e.g. {@code train} for {@code train.lr}. */
  public String section() {
    int dot = key.lastIndexOf('.');
    return dot < 0 ? "" : key.substring(0, dot);
  }
}
