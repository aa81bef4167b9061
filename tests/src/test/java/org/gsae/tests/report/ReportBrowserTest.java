package org.gsae.tests.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.data.SyntheticActivations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real train + analyze run, opened in headless chromium: every page loads with
 * no console error and requests nothing outside the report directory, every chart is drawn, the
 * feature page highlights the token that the analysis tables say is its top example, the list
 * sorts and filters, and the gallery's MONO/POLY tags follow the labels. Screenshots are kept
 * under {@code target/report-screenshots/}.
 */
class ReportBrowserTest {
  private static final int ROWS = 2000;
  private static final int D_IN = 16;
  private static final int D_SAE = 48;
  private static final int TRUE_FEATURES = 20;
  private static final Path SHOTS = Path.of("target", "report-screenshots");

  @TempDir static Path dir;
  static Browser browser;
  static SparkSession spark;
  static Path run;
  static Path report;

  @BeforeAll
  static void start() {
    browser = Browser.start();
    spark = ReportJobs.localSpark("gsae report browser test");
    Path store = dir.resolve("store");
    writeStore(store);
    run = dir.resolve("run");
    ReportJobs.sae("train", "--set", "input.path=" + store.toUri(), "--set", "output.path=" + run.toUri(),
        "--set", "model.d_sae=" + D_SAE, "--set", "train.steps=150", "--set",
        "train.batch_size=256", "--set", "analyze.top_k=10", "--set", "analyze.image_shape=4x4",
        "--set", "analyze.label_column=label");
    report = dir.resolve("gallery-report");
    ReportJobs.sae("report", "--run", run.toUri().toString(), "--output", report.toUri().toString(),
        "--image-shape", "4x4", "--label-column", "label");
  }

  @AfterAll
  static void stop() {
    ReportJobs.close(browser, spark);
  }

  /**
   * A store whose rows are tokens of a text: each row's token is the name of its strongest true
   * feature ({@code w7}), its context the two tokens before and after with it marked
   * ({@code w1 w4 [[w7]] w2 w9}), and its label that feature's index mod 5.
   */
  private static void writeStore(Path store) {
    SyntheticActivations s = SyntheticActivations.generate(ROWS, D_IN, TRUE_FEATURES, 3.0, 0.05, 11);
    String[] token = new String[ROWS];
    int[] label = new int[ROWS];
    for (int r = 0; r < ROWS; r++) {
      int best = 0;
      for (int k = 1; k < TRUE_FEATURES; k++) {
        if (s.codes()[r * TRUE_FEATURES + k] > s.codes()[r * TRUE_FEATURES + best]) {
          best = k;
        }
      }
      token[r] = "w" + best;
      label[r] = best % 5;
    }
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      StringBuilder context = new StringBuilder();
      for (int q = r - 2; q <= r + 2; q++) {
        if (q >= 0 && q < ROWS) {
          context.append(context.length() == 0 ? "" : " ")
              .append(q == r ? "[[" + token[q] + "]]" : token[q]);
        }
      }
      float[] x = new float[D_IN];
      System.arraycopy(s.data().data(), r * D_IN, x, 0, D_IN);
      List<Float> xs = new ArrayList<>();
      for (float v : x) {
        xs.add(v);
      }
      rows.add(RowFactory.create(xs, token[r], context.toString(), label[r], (long) r));
    }
    StructType schema = new StructType()
        .add("activation", DataTypes.createArrayType(DataTypes.FloatType, false), false)
        .add("token", DataTypes.StringType).add("context", DataTypes.StringType)
        .add("label", DataTypes.IntegerType).add("position", DataTypes.LongType);
    spark.createDataFrame(rows, schema).coalesce(2).write().parquet(store.toUri().toString());
  }

  private static String page(Path reportDir, String name) {
    return reportDir.toUri() + name;
  }

  @Test
  void everyPageLoadsFromDiskWithEveryChartDrawn() throws Exception {
    // The report train wrote by itself, with galleries from analyze.image_shape.
    assertTrue(Files.exists(run.resolve("report/data/gallery.js")), "train wrote run/report");
    Map<String, Integer> chartsPerPage = Map.of("index.html", 11, "features.html", 0,
        "feature.html#0", 1, "gallery.html", 0);
    for (Path r : List.of(run.resolve("report"), report)) {
      for (Map.Entry<String, Integer> p : chartsPerPage.entrySet()) {
        Browser.Loaded loaded = browser.open(page(r, p.getKey()));
        Browser.assertSelfContained(loaded, r, p.getKey());
        List<Map<String, Object>> charts = browser.charts();
        assertEquals(p.getValue(), charts.size(), p.getKey() + " charts " + charts);
        for (Map<String, Object> c : charts) {
          assertTrue(((Number) c.get("painted")).longValue() > 1000, p.getKey() + " chart not drawn: " + c);
          assertTrue(((Number) c.get("points")).longValue() > 0, p.getKey() + " chart without data: " + c);
        }
      }
    }
    browser.open(page(report, "index.html"));
    browser.screenshot(SHOTS.resolve("run-page.png"));
  }

  @Test
  void featurePageHighlightsItsTopTokenInContext() throws Exception {
    // The strongest example of the whole analysis, from the Parquet table.
    Row best = spark.read().parquet(run.resolve("analysis/top_examples.parquet").toUri().toString())
        .orderBy(org.apache.spark.sql.functions.col("activation").desc()).first();
    int feature = best.getInt(best.fieldIndex("feature_id"));
    String token = best.getString(best.fieldIndex("token"));
    long topRows = spark.read().parquet(run.resolve("analysis/top_examples.parquet").toUri().toString())
        .where("feature_id = " + feature).count();
    long bandRows = spark.read().parquet(run.resolve("analysis/band_examples.parquet").toUri().toString())
        .where("feature_id = " + feature).count();

    Browser.Loaded loaded = browser.open(page(report, "feature.html#" + feature));
    Browser.assertSelfContained(loaded, report, "feature " + feature);
    assertEquals("Feature " + feature, browser.js("return document.querySelector('h1').textContent"));
    assertEquals(token, browser.js("return document.querySelector('#top-examples tbody tr mark').textContent"));
    assertEquals(topRows, ((Number) browser.js(
        "return document.querySelectorAll('#top-examples tbody tr').length")).longValue());
    assertEquals(bandRows, ((Number) browser.js(
        "return document.querySelectorAll('#band-examples tbody tr').length")).longValue());
    assertTrue(bandRows > 0, "band samples for feature " + feature);
    browser.screenshot(SHOTS.resolve("feature-page.png"));
  }

  /** The three context conventions of README "Reports", checked in the page's own script. */
  @Test
  void everyContextConventionFindsTheActivatingToken() {
    browser.open(page(report, "features.html"));
    assertEquals(List.of("the cat ", "sat", " on"),
        browser.js("return gsae.contextParts({context: 'the cat [[sat]] on'})"));
    assertEquals(List.of("a sat ", "on", " the on"),
        browser.js("return gsae.contextParts({context: 'a sat on the on', token: 'on'})"));
    assertEquals(List.of("the cat ", "sat", " on the"),
        browser.js("return gsae.contextParts({context: ['the', 'cat', 'sat', 'on', 'the'], context_index: 2})"));
    assertEquals(List.of("", "the", " cat"),
        browser.js("return gsae.contextParts({context: ['the', 'cat'], context_index: 0})"));
    // No marker, no token, an index out of range: no highlight rather than a wrong one.
    assertEquals(null, browser.js("return gsae.contextParts({context: 'the cat sat'})"));
    assertEquals(null, browser.js("return gsae.contextParts({context: 'the cat', token: 'dog'})"));
    assertEquals(null, browser.js("return gsae.contextParts({context: ['a'], context_index: 3})"));
    // Metadata is shown as text, never parsed as HTML.
    assertEquals("<b>x</b>", browser.js(
        "return gsae.contextNode({context: '[[<b>x</b>]]'}).querySelector('mark').textContent"));
  }

  @Test
  void featureListSortsAndFilters() {
    List<Row> features = spark.read().parquet(run.resolve("analysis/features.parquet").toUri().toString())
        .collectAsList();
    Row mostFrequent = features.stream().max(Comparator.<Row>comparingLong(r -> r.getLong(r.fieldIndex("fire_count")))
        .thenComparing(r -> -r.getInt(r.fieldIndex("feature_id")))).orElseThrow();
    Row leastFrequentAlive = features.stream().filter(r -> r.getLong(r.fieldIndex("fire_count")) > 0)
        .min(Comparator.<Row>comparingLong(r -> r.getLong(r.fieldIndex("fire_count")))
            .thenComparing(r -> r.getInt(r.fieldIndex("feature_id")))).orElseThrow();
    long dead = features.stream().filter(r -> r.getBoolean(r.fieldIndex("dead"))).count();

    Browser.assertSelfContained(browser.open(page(report, "features.html")), report, "features");
    String firstId = "return document.querySelector('#feature-table tbody tr td').textContent";
    // Sorted by frequency, most frequent first, by default.
    assertEquals(String.valueOf(mostFrequent.getInt(mostFrequent.fieldIndex("feature_id"))), browser.js(firstId));
    browser.js("document.querySelector('th[data-key=frequency]').click()");
    browser.js("const s = document.getElementById('show'); s.value = 'alive'; s.dispatchEvent(new Event('change'))");
    assertEquals(String.valueOf(leastFrequentAlive.getInt(leastFrequentAlive.fieldIndex("feature_id"))),
        browser.js(firstId), "ascending frequency, alive only");
    browser.js("const s = document.getElementById('show'); s.value = 'dead'; s.dispatchEvent(new Event('change'))");
    assertEquals(dead + " features", browser.js("return document.getElementById('count').textContent"));
  }

  @Test
  void galleryDrawsDecoderRowsAndTagsFeaturesByLabelPurity() throws Exception {
    Browser.Loaded loaded = browser.open(page(report, "gallery.html"));
    Browser.assertSelfContained(loaded, report, "gallery");
    assertEquals((long) D_SAE, ((Number) browser.js(
        "return [...document.querySelectorAll('#decoder-gallery img')].filter(i => i.complete && i.naturalWidth === 4 && i.naturalHeight === 4).length")).longValue());

    // The first row of the feature gallery is the most frequent alive feature; its tag follows
    // the labels of its top 8 inputs in top_examples.parquet.
    Row mostFrequent = spark.read().parquet(run.resolve("analysis/features.parquet").toUri().toString())
        .orderBy(org.apache.spark.sql.functions.col("fire_count").desc(),
            org.apache.spark.sql.functions.col("feature_id")).first();
    int feature = mostFrequent.getInt(mostFrequent.fieldIndex("feature_id"));
    Map<Integer, Integer> counts = new HashMap<>();
    List<Row> top = spark.read().parquet(run.resolve("analysis/top_examples.parquet").toUri().toString())
        .where("feature_id = " + feature + " and rank <= 8").collectAsList();
    for (Row r : top) {
      counts.merge(r.getInt(r.fieldIndex("label")), 1, Integer::sum);
    }
    int most = counts.values().stream().max(Integer::compare).orElseThrow();
    String expected = most >= 0.8 * top.size() ? "MONO" : "POLY";
    assertEquals("feature " + feature, browser.js(
        "return document.querySelector('#feature-gallery .gallery-row .who a').textContent"));
    assertEquals(expected, browser.js(
        "return document.querySelector('#feature-gallery .gallery-row .tag').textContent"));
    assertEquals((long) top.size() + 1, ((Number) browser.js(
        "return [...document.querySelectorAll('#feature-gallery .gallery-row')[0].querySelectorAll('img')].filter(i => i.naturalWidth === 4).length")).longValue(),
        "decoder image and one image per top input");
    browser.screenshot(SHOTS.resolve("gallery.png"));
  }
}
