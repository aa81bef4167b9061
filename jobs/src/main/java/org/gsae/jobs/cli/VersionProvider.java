package org.gsae.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code sae --version}: gsae's version (from the build), Spark's and Java's. */
public final class VersionProvider implements IVersionProvider {

  /** The project version baked into the jar at build time, or "unknown". */
  public static String gsaeVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("/org/gsae/jobs/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String sparkVersion() {
    try {
      return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    } catch (LinkageError e) {
      return "not on the classpath";
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
        "gsae " + gsaeVersion(),
        "Spark " + sparkVersion() + ", Java " + System.getProperty("java.version")};
  }
}
