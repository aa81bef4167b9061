package org.gsae.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;

/**
 * {@code --set key=value} overrides. The value is read as a HOCON value, so
 * {@code train.lr=1e-3} is a number, {@code train.shuffle=false} a boolean and
 * {@code model.d_sae=null} removes a key the file set, and an object value merges into the
 * file's object as HOCON merges objects ({@code train={lr=1e-3}} sets only {@code train.lr}). Text
 * that HOCON would cut short ({@code //} and {@code #} start comments, as in {@code
 * hdfs://nn/acts}) or cannot parse (a glob such as {@code /data/*.parquet}) is taken verbatim as a
 * string.
 */
final class Overrides {
  private Overrides() {}

  /** {@code base} with every well-formed override applied in order (later ones win). */
  static Config apply(Config base, List<String> sets, List<String> problems) {
    Config c = base;
    for (String s : sets) {
      int eq = s.indexOf('=');
      String key = eq < 0 ? "" : s.substring(0, eq).strip();
      if (key.isEmpty()) {
        problems.add("--set '" + s + "' must have the form key=value, for example --set train.lr=1e-3");
        continue;
      }
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        problems.add("--set '" + s + "': '" + key + "' is not a valid key (dotted words such as train.lr)");
        continue;
      }
      ConfigValue v = parseValue(s.substring(eq + 1))
          .withOrigin(ConfigOriginFactory.newSimple("--set " + key));
      if (v instanceof ConfigObject) {
        // An object merges into what the file set, key by key, as HOCON merges objects:
        // --set 'train={lr=1e-3}' changes train.lr and keeps every other train key.
        c = v.atPath(key).withFallback(c);
        continue;
      }
      try {
        c = c.withValue(key, v);
      } catch (ConfigException.NotResolved e) {
        // withValue cannot step into an object the file builds from a substitution or +=
        // (merged only when resolved); an override layered on top wins the same way then.
        c = v.atPath(key).withFallback(c);
      }
    }
    return c;
  }

  /** The HOCON value {@code raw} spells, or {@code raw} itself as a string. */
  static ConfigValue parseValue(String raw) {
    String t = raw.strip();
    if (t.isEmpty()) {
      return ConfigValueFactory.fromAnyRef("");
    }
    if (!t.contains("#") && !t.contains("//")) {
      try {
        Config p = ConfigFactory.parseString("v = " + t + "\n",
            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF));
        ConfigValue v = p.root().get("v");
        if (v != null && p.root().size() == 1) {
          return v;
        }
      } catch (ConfigException | StackOverflowError e) {
        // not a HOCON value (or nested too deeply for the parser): fall through to the verbatim
        // string
      }
    }
    return ConfigValueFactory.fromAnyRef(raw);
  }
}
