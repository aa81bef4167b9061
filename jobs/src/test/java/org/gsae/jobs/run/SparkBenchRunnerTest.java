package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gsae.core.loss.GatedLoss;
import org.gsae.jobs.config.BenchOptions;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --spark local[2]} for real, on a small shape: the distributed step runs next to
 * the core step on the same batch, and the report is what the README promises (JSON that
 * parses, a ratio with its spread).
 */
class SparkBenchRunnerTest {
  private static final int STEPS = 3;
  private static final int BATCH = 256;

  private static BenchOptions options(boolean json) {
    return new BenchOptions(32, 128, BATCH, 2, 16, STEPS, 1, 4096, GatedLoss.DEFAULT_DENSE_ABOVE,
        "local[2]", 2, json, 7, 0);
  }

  @Test
  void givenJson_whenBenchmarkedWithSpark_thenEveryResultIsOneJsonObject() throws Exception {
    Report r = new SparkBenchRunner().run(options(true));
    assertEquals(List.of("core", "core, interleaved", "spark", "spark/core"),
        r.entries().stream().map(Report.Entry::name).toList());
    ObjectMapper mapper = new ObjectMapper();
    JsonNode core = mapper.readTree(r.entries().get(1).value());
    JsonNode spark = mapper.readTree(r.entries().get(2).value());
    JsonNode ratio = mapper.readTree(r.entries().get(3).value());
    assertEquals("spark/core", ratio.get("what").asText());
    assertEquals(STEPS, ratio.get("rounds").asInt());
    double min = ratio.get("min").asDouble();
    double median = ratio.get("median").asDouble();
    double max = ratio.get("max").asDouble();
    assertTrue(0 < min && min <= median && median <= max && Double.isFinite(max), ratio.toString());
    assertTrue(spark.get("what").asText().contains("[per step: gradient tasks"), spark.toString());
    // The driver moves numbers, not gradients: below one gradient (4 x 8,608 parameters).
    double in = ratio.get("driver_in_bytes_per_step").asDouble();
    assertTrue(in > 0 && in < 4 * 8608, ratio.toString());
    // Same calibrated parameters, same batch, updates that differ only in rounding: the gates
    // that open are the same, allowing one row's gate to flip per timed step.
    assertEquals(core.get("l0").asDouble(), spark.get("l0").asDouble(), 1.0 / BATCH,
        "mean L0 of the distributed step against the core step's");
    assertEquals(BATCH / spark.get("median_step_seconds").asDouble(),
        spark.get("tokens_per_second").asDouble(), 1e-6 * spark.get("tokens_per_second").asDouble());
  }

  @Test
  void givenText_whenBenchmarkedWithSpark_thenTheRatioLineGivesTheMedianInsideItsRange() {
    Report r = new SparkBenchRunner().run(options(false));
    String line = r.entries().get(3).value();
    Matcher m = Pattern.compile("^(\\d\\.\\d{3}) \\(median of " + STEPS
        + " rounds, .*; range (\\d\\.\\d{3})-(\\d\\.\\d{3})\\)$").matcher(line);
    assertTrue(m.matches(), line);
    double median = Double.parseDouble(m.group(1));
    assertTrue(Double.parseDouble(m.group(2)) <= median && median <= Double.parseDouble(m.group(3)),
        line);
  }

  /** --ingest times the store reader for real: one line per activation type, MB/s per core. */
  @Test
  void givenIngest_whenRun_thenEveryActivationTypeIsPackedAndTimed() {
    BenchOptions o = new BenchOptions(64, 128, BATCH, 2, 16, 1, 0, 4096, GatedLoss.DEFAULT_DENSE_ABOVE,
        "local[2]", 2, false, 7, 3000);
    String report = new SparkBenchRunner().run(o).render();
    for (String type : new String[] {"array<float>", "array<double>", "Vector"}) {
      assertTrue(report.matches("(?s).*ingest " + Pattern.quote(type) + "\\s+3,000 rows x 64: pack \\d+\\.\\d\\d s = \\d+ MB/s"
          + " per core \\(2 cores\\).*"), report);
    }
  }
}
