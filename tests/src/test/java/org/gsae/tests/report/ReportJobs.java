package org.gsae.tests.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.RunnerProvider;

/** What the report tests share: a local session and {@code sae} commands run in-process. */
final class ReportJobs {
  private ReportJobs() {}

  /** A local[2] session the commands below reuse (they do not stop a session they did not start). */
  static SparkSession localSpark(String name) {
    return SparkSession.builder().master("local[2]").appName(name)
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  /** Runs {@code sae ARGS}, asserts exit code 0 and returns what it printed. */
  static String sae(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(RunnerProvider.DEFAULT, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    String stdout = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, String.join(" ", args) + "\n" + stdout
        + err.toString(StandardCharsets.UTF_8));
    return stdout;
  }

  /** Closes what a test class opened (either may be null when the browser was missing). */
  static void close(Browser browser, SparkSession spark) {
    if (browser != null) {
      browser.close();
    }
    if (spark != null) {
      spark.stop();
    }
  }
}
