package org.gsae.tests.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.model.SaeInit;
import org.gsae.spark.demo.SyntheticStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a 24,576-feature analysis in headless chromium: every page loads completely
 * (self-contained, charts drawn) and prints how long it took, navigation start to the page's
 * ready mark. The time is printed for docs/performance.md, not asserted (machines differ); the
 * model is randomly initialised, so every feature is alive with full top-k and band samples,
 * the heaviest case for the pages. The analysis runs with its default, automatic batch size
 * (512 rows at this width), which also shows that the default fits a 3 GB test JVM.
 */
class ReportOpenTimeTest {
  static final int D_IN = 64;
  static final int D_SAE = 24_576;
  static final int ROWS = 4096;

  @TempDir static Path dir;
  static Browser browser;
  static SparkSession spark;
  static Path report;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    spark = ReportJobs.localSpark("gsae report open time");
    Path store = dir.resolve("store");
    SyntheticStore.write(spark, store.toUri().toString(),
        SyntheticActivations.generate(ROWS, D_IN, 128, 5.0, 0.05, 5), 2);
    Path model = dir.resolve("model");
    ModelDirectory.save(new org.apache.hadoop.fs.Path(model.toUri()),
        SaeInit.initialize(D_IN, D_SAE, 9, null), ModelInfo.empty());
    Path analysis = dir.resolve("analysis");
    long t0 = System.nanoTime();
    ReportJobs.sae("analyze", "--model", model.toUri().toString(), "--input",
        store.toUri().toString(), "--output", analysis.toUri().toString());
    System.out.printf("report timing: analyze + report of %d rows with d_sae=%d took %.1f s%n",
        ROWS, D_SAE, (System.nanoTime() - t0) / 1e9);
    report = analysis.resolve("report");
    try (var files = java.nio.file.Files.walk(report)) {
      var sizes = files.filter(java.nio.file.Files::isRegularFile).mapToLong(f -> f.toFile().length())
          .summaryStatistics();
      System.out.printf("report timing: %d files, %.1f MB in all, largest %.1f MB%n",
          sizes.getCount(), sizes.getSum() / 1e6, sizes.getMax() / 1e6);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    ReportJobs.close(browser, spark);
  }

  @Test
  void everyPageOfA24576FeatureReportOpens() {
    for (String page : List.of("index.html", "features.html", "feature.html#0",
        "feature.html#" + (D_SAE - 1), "gallery.html")) {
      Browser.Loaded loaded = browser.open(report.toUri() + page);
      Browser.assertSelfContained(loaded, report, page);
      for (Map<String, Object> c : browser.charts()) {
        assertTrue(((Number) c.get("painted")).longValue() > 1000, page + " chart not drawn: " + c);
      }
      System.out.printf("report timing: %s of a d_sae=%d report ready in %d ms%n", page, D_SAE,
          loaded.millis());
    }
  }
}
