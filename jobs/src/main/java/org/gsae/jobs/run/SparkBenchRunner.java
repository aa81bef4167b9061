package org.gsae.jobs.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.gsae.core.bench.BenchResult;
import org.gsae.core.bench.BenchSpec;
import org.gsae.core.bench.StepBenchmark;
import org.gsae.core.tensor.VectorOps;
import org.gsae.jobs.config.BenchOptions;
import org.gsae.spark.bench.IngestBenchmark;
import org.gsae.spark.bench.SparkStepBenchmark;

/** The production {@code bench}: the core step, and with {@code --spark} the distributed one. */
final class SparkBenchRunner implements BenchRunner {

  @Override
  public Report run(BenchOptions o) {
    if (o.ingestRows() > 0) {
      String master = o.sparkMaster() != null ? o.sparkMaster() : "local[" + o.threads() + "]";
      try (Sessions.JobSession session = Sessions.open("gsae bench ingest", Optional.of(master))) {
        Report r = Report.of("bench: done");
        for (IngestBenchmark.Result x
            : IngestBenchmark.run(session.spark(), o.ingestRows(), o.dIn(), o.steps())) {
          r = r.with("ingest " + x.type(), x.render());
        }
        return r;
      }
    }
    BenchSpec spec = new BenchSpec(o.dIn(), o.dSae(), o.batchSize(), o.threads(), o.targetL0(),
        o.warmupSteps(), o.steps(), o.chunkRows(), o.denseAbove(), o.seed());
    BenchResult core = StepBenchmark.run(spec);
    Report r = Report.of("bench: done").with("core", o.json() ? json(core) : core.render());
    if (o.sparkMaster() != null) {
      try (Sessions.JobSession session = Sessions.open("gsae bench", Optional.of(o.sparkMaster()))) {
        SparkStepBenchmark.Comparison c = SparkStepBenchmark.run(session.spark(), spec, o.partitions());
        r = r.with("core, interleaved", o.json() ? json(c.core()) : c.core().render())
            .with("spark", o.json() ? json(c.spark()) : c.spark().render())
            .with("spark/core", o.json() ? json(c) : String.format("%.3f (median of %d rounds, each"
                + " a core and a spark step timed back to back; range %.3f-%.3f)", c.ratio(),
                c.rounds(), c.ratioMin(), c.ratioMax()));
        if (!o.json()) {
          r = r.with("driver traffic", String.format("%.1f KB in (task results), %.1f KB out"
              + " (job closures) per step, %d partitions", c.driverInBytes() / 1e3,
              c.driverOutBytes() / 1e3, c.partitions()));
        }
      }
    }
    return r;
  }

  static String json(SparkStepBenchmark.Comparison c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", "spark/core");
    m.put("rounds", c.rounds());
    m.put("median", c.ratio());
    m.put("min", c.ratioMin());
    m.put("max", c.ratioMax());
    m.put("driver_in_bytes_per_step", c.driverInBytes());
    m.put("driver_out_bytes_per_step", c.driverOutBytes());
    return write(m);
  }

  static String json(BenchResult b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", b.what());
    m.put("d_in", b.spec().dIn());
    m.put("d_sae", b.spec().dSae());
    m.put("batch", b.spec().batch());
    m.put("threads", b.spec().threads());
    m.put("target_l0", b.spec().targetL0());
    m.put("chunk_rows", b.spec().chunkRows());
    m.put("dense_above", b.spec().denseAbove());
    m.put("median_step_seconds", b.medianSeconds());
    m.put("tokens_per_second", b.tokensPerSecond());
    m.put("gflops_dense_floor", b.gflops());
    m.put("l0", b.l0());
    m.put("loops", VectorOps.implementation());
    if (!Double.isNaN(b.gemmSeconds())) {
      m.put("sgemm_seconds", b.gemmSeconds());
      m.put("sgemm_floor_tokens_per_second", b.floorTokensPerSecond());
      m.put("fraction_of_floor", b.fractionOfFloor());
    }
    if (b.peakHeapBytes() >= 0) {
      m.put("peak_heap_bytes", b.peakHeapBytes());
      m.put("peak_rss_bytes", b.peakNativeBytes());
    }
    return write(m);
  }

  private static String write(Map<String, Object> m) {
    try {
      return new ObjectMapper().writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
