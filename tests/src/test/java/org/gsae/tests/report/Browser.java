package org.gsae.tests.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian chromium through its own chromedriver, with the browser console and the
 * network log recorded, so a test can check that a page logged no error and requested nothing
 * outside the report directory.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChromeDriver driver;

  /**
   * A page after it loaded.
   *
   * @param errors   console messages at SEVERE level
   * @param requests every URL the page requested (documents, scripts, images, data)
   * @param millis   navigation start to the page's data-ready mark
   */
  record Loaded(List<String> errors, List<String> requests, long millis) {}

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * Starts chromium, or skips the calling test when it is not installed (fails under CI, whose
   * {@code .ci/run} installs it).
   */
  static Browser start() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String why = "the report's browser tests need Debian's chromium and chromium-driver ("
          + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver";
      if (System.getenv("CI") != null) {
        fail(why + " (.ci/run installs them)");
      }
      Assumptions.abort(why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--window-size=1400,1800", "--allow-file-access-from-files");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver is named explicitly, so Selenium Manager (which downloads drivers) never runs.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  /** Opens a page and waits (up to 60 s) until it marks itself ready. */
  Loaded open(String url) {
    driver.manage().logs().get(LogType.BROWSER);
    driver.manage().logs().get(LogType.PERFORMANCE);
    driver.get("about:blank");
    driver.get(url);
    new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> js("return document.body "
        + "&& document.body.dataset.ready || null") != null);
    assertEquals("1", js("return document.body.dataset.ready"), url + " reported an error: "
        + js("return (document.querySelector('.error') || {}).textContent"));
    long millis = ((Number) js("return Math.round(performance.now())")).longValue();
    List<String> errors = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    List<String> requests = new ArrayList<>();
    for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        JsonNode m = JSON.readTree(e.getMessage()).path("message");
        if ("Network.requestWillBeSent".equals(m.path("method").asText())) {
          requests.add(m.path("params").path("request").path("url").asText());
        }
      } catch (IOException ex) {
        throw new AssertionError("unreadable performance log entry " + e.getMessage(), ex);
      }
    }
    return new Loaded(errors, requests, millis);
  }

  /** Runs a script in the page and returns its value. */
  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * For each {@code .chart} element of the page: the number of non-transparent canvas pixels
   * and the number of data points of its first series.
   */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> charts() {
    return (List<Map<String, Object>>) js("return [...document.querySelectorAll('.chart')].map(c => {"
        + " const cv = c.querySelector('canvas'); let painted = 0;"
        + " if (cv) { const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;"
        + "   for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted++; }"
        + " const inst = echarts.getInstanceByDom(c);"
        + " const s = inst ? inst.getOption().series : [];"
        + " return { id: c.id, painted: painted, points: s.length ? s[0].data.length : 0 }; })");
  }

  /** Saves a screenshot of the current page. */
  void screenshot(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
  }

  /** Asserts the page logged no error and requested only files under {@code dir} (or data: URIs). */
  static void assertSelfContained(Loaded page, Path dir, String what) {
    String root = dir.toUri().toString();
    assertTrue(!page.requests().isEmpty(), what + ": no request recorded at all");
    for (String url : page.requests()) {
      assertTrue(url.startsWith(root) || url.startsWith("data:"),
          what + " requested " + url + ", outside the report directory " + root);
    }
    assertEquals(List.of(), page.errors(), what + ": console errors");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
