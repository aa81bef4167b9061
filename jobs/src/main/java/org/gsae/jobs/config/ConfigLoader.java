package org.gsae.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ConfigException;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;
import org.gsae.core.io.HadoopFiles;

/**
 * Builds a {@link JobConfig} from a HOCON ({@code .conf}), JSON or {@code .properties} file
 * plus {@code --set} overrides (override wins), resolving {@code ${VAR}} and
 * {@code ${?VAR}} from the given environment. All problems are collected and thrown together
 * as one {@link ConfigException}; see {@link ConfigAssembler} for what is checked.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** A config file bigger than this is not a config file. */
  static final long MAX_FILE_BYTES = 4L << 20;

  /**
   * Loads and validates a job config.
   *
   * @param confFile the config file (any Hadoop path; a scheme-less path is looked up on the
   *                 local disk first), or empty to start from the defaults
   * @param sets     {@code key=value} overrides, applied in order
   * @param env      environment for {@code ${VAR}} substitutions (normally {@code System.getenv()})
   * @throws ConfigException with every problem found
   * @throws org.gsae.core.error.GsaeException USAGE if the file is missing, IO if it cannot be read
   */
  public static JobConfig load(Optional<String> confFile, List<String> sets, Map<String, String> env) {
    Config base = confFile.map(ConfigLoader::readFile).orElse(ConfigFactory.empty());
    return fromConfig(base, sets, env);
  }

  /**
   * Like {@link #load} for a config given as HOCON text (tests, embedded defaults); its
   * includes are relative to the working directory.
   */
  public static JobConfig fromHocon(String hocon, List<String> sets, Map<String, String> env) {
    Configuration hadoop = new Configuration();
    FileSystem local;
    try {
      local = FileSystem.getLocal(hadoop);
    } catch (IOException e) {
      throw Errors.io("opening the local file system", ".", e);
    }
    return fromConfig(parse(hocon, "config text", ConfigSyntax.CONF,
        new Includes(local, local.getWorkingDirectory(), 0)), sets, env);
  }

  /** Validates {@code base} (unresolved) with {@code sets} applied and {@code env} for substitutions. */
  public static JobConfig fromConfig(Config base, List<String> sets, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    try {
      Config c = Overrides.apply(base, sets, problems);
      Config resolved;
      try {
        resolved = c.resolveWith(c.withFallback(ConfigValueFactory.fromMap(env).toConfig()),
            ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
      } catch (com.typesafe.config.ConfigException e) {
        problems.add("cannot resolve a substitution: " + e.getMessage()
            + " (set the variable, use ${?NAME} for optional ones, or give the key with --set)");
        throw new ConfigException(problems);
      }
      return new ConfigAssembler(resolved, problems).assemble();
    } catch (StackOverflowError e) {
      throw new ConfigException(List.of(TOO_DEEP + " (in the config or a --set value)"));
    }
  }

  /**
   * The problem for text nested so deeply that the (recursive) HOCON library runs out of stack:
   * no job config nests more than a few levels, so this is malformed input, not a bug.
   */
  static final String TOO_DEEP = "values are nested too deeply ({, [ or ${ thousands of levels deep)";

  /**
   * The unresolved config in {@code file}; the syntax follows the file name's extension. A
   * HOCON file's {@code include "x.conf"} (and {@code include file("x.conf")},
   * {@code include required(...)}) names a file relative to the including file, on the same
   * file system, as HOCON users expect; an included file that does not exist is an error (HOCON
   * would skip it silently); {@code include url(...)} and {@code include classpath(...)} are
   * refused.
   */
  public static Config readFile(String file) {
    String fix = "pass an existing HOCON (.conf) or .properties file to --conf;"
        + " conf/train.conf documents every key";
    if (file == null || file.isBlank()) {
      throw Errors.usage("the config file name is empty", "--conf", fix);
    }
    FileSystem fs;
    Path path;
    try {
      Configuration hadoop = new Configuration();
      path = new Path(file);
      fs = HadoopFiles.fileSystem(path, hadoop);
      if (path.toUri().getScheme() == null && FileSystem.getLocal(hadoop).exists(path)) {
        // In client mode a scheme-less path names a file next to the user, not on the cluster FS.
        fs = FileSystem.getLocal(hadoop);
      }
      path = fs.makeQualified(path);
    } catch (IOException e) {
      throw Errors.io("reading the config file", file, e);
    } catch (IllegalArgumentException e) {
      throw Errors.usage("config file name '" + file + "' is not a valid path: " + e.getMessage(),
          file, fix);
    }
    String text = readText(fs, path, file, fix);
    String lower = file.toLowerCase(Locale.ROOT);
    ConfigSyntax syntax = lower.endsWith(".properties") ? ConfigSyntax.PROPERTIES
        : lower.endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
    return parse(text, file, syntax, new Includes(fs, path.getParent(), 0));
  }

  private static Config parse(String text, String origin, ConfigSyntax syntax, Includes includes) {
    try {
      return ConfigFactory.parseString(text, ConfigParseOptions.defaults()
          .setSyntax(syntax).setOriginDescription(origin).setAllowMissing(false)
          .setIncluder(includes));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException(List.of("cannot parse " + origin + " as "
          + syntax.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage()));
    } catch (IllegalArgumentException e) {
      // java.util.Properties (behind the .properties syntax) reports a bad backslash-u escape
      // this way instead of with the library's ConfigException.
      throw new ConfigException(List.of("cannot parse " + origin + " as "
          + syntax.name().toLowerCase(Locale.ROOT) + ": " + e.getMessage()
          + (syntax == ConfigSyntax.PROPERTIES ? " (a backslash-u must be followed by four hex"
              + " digits; write \\\\ for a literal backslash)" : "")));
    } catch (StackOverflowError e) {
      throw new ConfigException(List.of("cannot parse " + origin + ": " + TOO_DEEP));
    }
  }

  private static String readText(FileSystem fs, Path path, String file, String fix) {
    try {
      if (!fs.exists(path)) {
        throw Errors.usage("config file '" + file + "' does not exist", file, fix);
      }
      FileStatus st = fs.getFileStatus(path);
      if (st.isDirectory()) {
        throw Errors.usage("config file '" + file + "' is a directory", file, fix);
      }
      if (st.getLen() > MAX_FILE_BYTES) {
        throw Errors.usage("config file '" + file + "' has " + st.getLen()
            + " bytes, more than a config file can (" + MAX_FILE_BYTES + ")", file, fix);
      }
      if (!st.isFile() || !HadoopFiles.isRegularIfLocal(fs, path)) {
        throw Errors.usage("config file '" + file + "' is not a regular file", file, fix);
      }
      try (InputStream in = fs.open(path)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw Errors.io("reading the config file", file, e);
    }
  }

  /** Resolves HOCON includes relative to the including file, on its file system. */
  private static final class Includes implements ConfigIncluder, ConfigIncluderFile,
      ConfigIncluderURL, ConfigIncluderClasspath {
    /** Deeper than this, includes are taken to be a cycle. */
    private static final int MAX_DEPTH = 16;
    private final FileSystem fs;
    private final Path dir;
    private final int depth;

    Includes(FileSystem fs, Path dir, int depth) {
      this.fs = fs;
      this.dir = dir;
      this.depth = depth;
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
      return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
      return read(what);
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
      return read(what.getPath());
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
      throw new com.typesafe.config.ConfigException.BadPath(what.toString(),
          "include url(...) is not supported:"
          + " gsae reads configuration from files only; copy it into a file and include that");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
      throw new com.typesafe.config.ConfigException.BadPath(what,
          "include classpath(...) is not supported;"
          + " include a file (relative to the including file) instead");
    }

    private ConfigObject read(String what) {
      if (depth >= MAX_DEPTH) {
        throw new com.typesafe.config.ConfigException.BadPath(what,
            "includes are nested more than " + MAX_DEPTH
            + " deep (an include cycle?)");
      }
      Path p = new Path(what);
      Path target = p.isAbsolute() || p.toUri().getScheme() != null ? p : new Path(dir, what);
      String text;
      try {
        if (!fs.exists(target)) {
          throw new com.typesafe.config.ConfigException.BadPath(what, "included file " + target
              + " does not exist (a relative name is relative to the including file, in "
              + dir + ")");
        }
        text = readText(fs, target, target.toString(), "include an existing regular file");
      } catch (GsaeException e) {
        throw new com.typesafe.config.ConfigException.BadPath(what, "included file " + target
            + ": " + e.getMessage());
      } catch (IOException e) {
        throw new com.typesafe.config.ConfigException.BadPath(what, "included file " + target
            + " cannot be read: " + e);
      }
      String lower = what.toLowerCase(Locale.ROOT);
      ConfigSyntax syntax = lower.endsWith(".properties") ? ConfigSyntax.PROPERTIES
          : lower.endsWith(".json") ? ConfigSyntax.JSON : ConfigSyntax.CONF;
      return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setSyntax(syntax)
          .setOriginDescription(target.toString()).setAllowMissing(false)
          .setIncluder(new Includes(fs, target.getParent(), depth + 1))).root();
    }
  }
}
