package org.gsae.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads one config value as the kind its {@link KeySpec} says, or records a problem naming
 * the key, the value, where it came from and the expected type. Strings that spell a number
 * or a boolean are accepted, because {@code .properties} files hold nothing but strings.
 */
final class ConfigValues {
  private ConfigValues() {}

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final int MAX_SHOWN = 80;

  /**
   * The value of {@code spec.key()} in {@code c} (which must have it) as Integer, Long, Double,
   * Boolean or String (enums in their canonical spelling), or null after adding a problem.
   */
  static Object read(Config c, KeySpec spec, List<String> problems) {
    ConfigValue v = c.getValue(spec.key());
    ConfigValueType t = v.valueType();
    boolean scalar = t == ConfigValueType.STRING || t == ConfigValueType.NUMBER
        || t == ConfigValueType.BOOLEAN;
    if (!scalar) {
      problems.add(wrongType(spec, v, null));
      return null;
    }
    return switch (spec.kind()) {
      case STRING -> c.getString(spec.key());
      case INT -> integral(spec, v, Integer.MIN_VALUE, Integer.MAX_VALUE, problems, true);
      case LONG -> integral(spec, v, Long.MIN_VALUE, Long.MAX_VALUE, problems, false);
      case DOUBLE -> {
        if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Double d
            && !Double.isFinite(d) || isOutOfDoubleRange(number(v))) {
          // A number, but not one a double holds (1e400 reads as infinity): say so, not "wrong
          // type".
          problems.add(spec.key() + " = " + shown(v) + where(v) + " is out of range: a finite"
              + " number of magnitude at most " + Double.MAX_VALUE + " is expected");
          yield null;
        }
        BigDecimal n = number(v);
        if (n == null) {
          problems.add(wrongType(spec, v, null));
          yield null;
        }
        yield n.doubleValue();
      }
      case BOOLEAN -> bool(spec, v, problems);
      case BYTES -> {
        try {
          yield c.getBytes(spec.key());
        } catch (com.typesafe.config.ConfigException e) {
          problems.add(wrongType(spec, v, null));
          yield null;
        }
      }
      case ENUM -> oneOf(spec, c.getString(spec.key()), v, problems);
    };
  }

  private static Object integral(KeySpec spec, ConfigValue v, long min, long max,
      List<String> problems, boolean asInt) {
    BigDecimal n = number(v);
    if (n == null) {
      problems.add(wrongType(spec, v, null));
      return null;
    }
    // precision - scale = digits before the point; checked first so 1e999999 costs nothing.
    BigDecimal s = n.stripTrailingZeros();
    if (s.scale() > 0) {
      problems.add(wrongType(spec, v, "a whole number"));
      return null;
    }
    if (s.precision() - s.scale() > 19
        || s.compareTo(BigDecimal.valueOf(min)) < 0 || s.compareTo(BigDecimal.valueOf(max)) > 0) {
      problems.add(wrongType(spec, v, "an integer between " + min + " and " + max));
      return null;
    }
    long l = s.longValueExact();
    if (asInt) {
      return Integer.valueOf((int) l); // not a ?: expression: that would promote to Long
    }
    return Long.valueOf(l);
  }

  private static Boolean bool(KeySpec spec, ConfigValue v, List<String> problems) {
    if (v.valueType() == ConfigValueType.BOOLEAN) {
      return (Boolean) v.unwrapped();
    }
    String s = String.valueOf(v.unwrapped()).strip().toLowerCase(Locale.ROOT);
    switch (s) {
      case "true", "yes", "on":
        return Boolean.TRUE;
      case "false", "no", "off":
        return Boolean.FALSE;
      default:
        problems.add(wrongType(spec, v, null));
        return null;
    }
  }

  private static String oneOf(KeySpec spec, String s, ConfigValue v, List<String> problems) {
    for (String a : spec.allowed()) {
      if (a.equalsIgnoreCase(s.strip())) {
        return a;
      }
    }
    problems.add(spec.key() + " = " + shown(v) + where(v) + " is not allowed: expected one of "
        + String.join(", ", spec.allowed()));
    return null;
  }

  private static boolean isOutOfDoubleRange(BigDecimal n) {
    return n != null && !Double.isFinite(n.doubleValue());
  }

  /** The number a NUMBER value or a numeric string holds, or null. */
  private static BigDecimal number(ConfigValue v) {
    Object u = v.unwrapped();
    String text;
    if (v.valueType() == ConfigValueType.NUMBER) {
      if (u instanceof Double d && !Double.isFinite(d)) {
        return null;
      }
      text = u.toString();
    } else if (v.valueType() == ConfigValueType.STRING) {
      text = ((String) u).strip();
      if (!NUMBER.matcher(text).matches()) {
        return null;
      }
    } else {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null; // an exponent beyond int range
    }
  }

  private static String wrongType(KeySpec spec, ConfigValue v, String expected) {
    String want = expected != null ? expected : spec.kind().expected();
    if (spec.kind() == KeySpec.Kind.ENUM) {
      want = "one of " + String.join(", ", spec.allowed());
    }
    return spec.key() + " = " + shown(v) + where(v) + " has the wrong type: expected " + want
        + ", got " + article(v.valueType());
  }

  private static String article(ConfigValueType t) {
    return switch (t) {
      case OBJECT -> "an object";
      case LIST -> "a list";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case STRING -> "a string";
    };
  }

  /** The value as written in JSON form, cut to a readable length. */
  static String shown(ConfigValue v) {
    String s = v.render(ConfigRenderOptions.concise());
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
  }

  /** " (from <origin>)" or "" when the origin says nothing useful. */
  static String where(ConfigValue v) {
    String d = v.origin() == null ? null : v.origin().description();
    return d == null || d.isBlank() ? "" : " (from " + d + ")";
  }
}
