package org.gsae.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSError;
import org.apache.spark.SparkException;
import org.gsae.core.error.Errors;
import org.gsae.jobs.config.AnalyzeOptions;
import org.gsae.jobs.config.BenchOptions;
import org.gsae.jobs.config.ConfigLoader;
import org.gsae.jobs.config.DemoOptions;
import org.gsae.jobs.config.EvaluateOptions;
import org.gsae.jobs.config.HarvestOptions;
import org.gsae.jobs.config.EncodeOptions;
import org.gsae.jobs.config.JobConfig;
import org.gsae.spark.store.OnInvalid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final String[] PATHS = {"--set", "input.path=/in", "--set", "output.path=/out"};

  private FakeRunners runners;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void fresh() {
    runners = new FakeRunners();
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
  }

  private int run(String... args) {
    Main main = new Main(runners,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("GSAE_INPUT", "/env/in"));
    return main.run(args);
  }

  private static String[] train(String... more) {
    String[] a = new String[1 + PATHS.length + more.length];
    a[0] = "train";
    System.arraycopy(PATHS, 0, a, 1, PATHS.length);
    System.arraycopy(more, 0, a, 1 + PATHS.length, more.length);
    return a;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** Asserts stderr is exactly one "gsae: error: " line and returns its message. */
  private String oneErrorLine() {
    List<String> lines = stderr().lines().toList();
    assertEquals(1, lines.size(), "stderr: " + stderr());
    assertTrue(stderr().endsWith(System.lineSeparator()), "a whole line");
    assertTrue(lines.get(0).startsWith("gsae: error: "), lines.get(0));
    assertEquals("", stdout(), "nothing on stdout after a failure");
    return lines.get(0);
  }

  @Test
  void givenHelpOrVersion_whenRun_thenItPrintsToStdoutAndExitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(stdout().contains("Usage: sae"), stdout());
    for (String c : List.of("train", "analyze", "encode", "demo", "bench", "harvest", "evaluate")) {
      assertTrue(stdout().contains(c), "lists " + c);
    }
    assertEquals("", stderr());
    for (String c : List.of("train", "analyze", "encode", "demo", "bench", "harvest", "evaluate")) {
      fresh();
      assertEquals(0, run(c, "--help"), c);
      assertTrue(stdout().contains("Usage: sae " + c), stdout());
      assertEquals("", stderr());
    }
    fresh();
    assertEquals(0, run("help", "encode"));
    assertTrue(stdout().contains("--reconstruct"));
    fresh();
    assertEquals(0, run("--version"));
    assertTrue(stdout().startsWith("gsae 0.1.0-SNAPSHOT"), stdout());
    assertEquals(0, runners.obtained);
  }

  @Test
  void givenAnUnknownCommand_whenRun_thenExitTwoWithOneLine() {
    assertEquals(2, run("frobnicate"));
    String line = oneErrorLine();
    assertTrue(line.contains("unknown command 'frobnicate'") && line.contains("train"), line);
  }

  @Test
  void givenNoCommand_whenRun_thenExitTwoWithOneLine() {
    assertEquals(2, run());
    assertTrue(oneErrorLine().contains("missing command"));
  }

  @Test
  void givenBadOptions_whenRun_thenExitTwoWithOneLineAndNoRunner() {
    assertEquals(2, run(train("--bogus")));
    assertTrue(oneErrorLine().contains("--bogus"));
    fresh();
    assertEquals(2, run("analyze", "--model", "m", "--input", "i", "--output", "o", "--top-k", "many"));
    assertTrue(oneErrorLine().contains("--top-k"));
    fresh();
    assertEquals(2, run("analyze", "--model", "m"));
    String line = oneErrorLine();
    assertTrue(line.contains("--input") && line.contains("--output"), line);
    fresh();
    assertEquals(2, run("encode", "--model", "m", "--input", "i", "--output", "o", "--on-invalid", "explode"));
    assertTrue(oneErrorLine().contains("fail, skip"));
    assertEquals(0, runners.obtained);
  }

  @Test
  void givenInvalidOptionValues_whenValidated_thenExitTwoNamingEachOption() {
    assertEquals(2, run("analyze", "--model", "m", "--input", "/d/", "--output", "/d",
        "--top-k", "0", "--batch-size", "-1"));
    String line = oneErrorLine();
    assertTrue(line.contains("3 problems") && line.contains("--top-k") && line.contains("--batch-size")
        && line.contains("same location"), line);
    fresh();
    assertEquals(2, run("bench", "--steps", "0"));
    assertTrue(oneErrorLine().contains("--steps must be >= 1"));
    assertEquals(0, runners.obtained);
  }

  @Test
  void givenAConfigError_whenTraining_thenExitTwoWithAllProblemsOnOneLine() {
    assertEquals(2, run(train("--set", "train.lr=fast", "--set", "train.stepz=3")));
    String line = oneErrorLine();
    assertTrue(line.contains("train.lr") && line.contains("did you mean 'train.steps'?"), line);
    assertEquals(0, runners.obtained, "no runner (no Spark) for an invalid config");
    fresh();
    assertEquals(2, run("train", "--conf", "/definitely/not/here.conf"));
    assertTrue(oneErrorLine().contains("/definitely/not/here.conf"));
  }

  @Test
  void givenAValidConfig_whenTraining_thenTheRunnerGetsItAndTheReportIsPrinted() {
    assertEquals(0, run(train("--set", "train.steps=12")));
    assertEquals(1, runners.received.size());
    JobConfig cfg = (JobConfig) runners.received.get(0);
    assertEquals(JobConfig.defaults("/in", "/out").train().withSteps(12), cfg.train());
    assertTrue(stdout().startsWith("train: done"), stdout());
    assertEquals("", stderr());
  }

  @Test
  void givenTheEnvironment_whenTraining_thenSubstitutionsUseTheInjectedOne() {
    assertEquals(0, run("train", "--conf", org.gsae.jobs.config.TrainConfDocsTestAccess.trainConf(),
        "--set", "output.path=/o"));
    assertEquals("/env/in", ((JobConfig) runners.received.get(0)).input().path());
  }

  @Test
  void givenDryRun_whenTraining_thenTheResolvedConfigIsPrintedAndNothingRuns() {
    assertEquals(0, run(train("--set", "model.d_sae=300", "--dry-run")));
    assertEquals(0, runners.obtained);
    JobConfig printed = ConfigLoader.fromHocon(stdout(), List.of(), Map.of());
    assertEquals(300, printed.model().dSae(10));
    assertEquals("/in", printed.input().path());
  }

  @Test
  void givenTheModelCommands_whenRun_thenTheirRunnersGetTheOptionsWithTheirDefaults() {
    assertEquals(0, run("harvest", "--input", "t.txt", "--output", "s"));
    assertEquals(new HarvestOptions("minilm-l6", "t.txt", null, "s", 3, "resid", null, 0, 8),
        runners.received.get(0));
    assertEquals(0, run("harvest", "--input", "t", "--output", "s", "--model", "minilm-l6-fp32",
        "--text-column", "body", "--layer", "1", "--site", "mlp", "--max-tokens", "9", "--context", "2"));
    HarvestOptions h = (HarvestOptions) runners.received.get(1);
    assertEquals(new HarvestOptions("minilm-l6-fp32", "t", "body", "s", 1, "mlp", null, 9, 2), h);
    assertEquals("/encoder/layer.1/intermediate/intermediate_act_fn/Mul_1", h.siteSpec().name());
    assertEquals(0, run("evaluate", "--model", "m", "--input", "t", "--output", "e"));
    assertEquals(new EvaluateOptions("m", "minilm-l6", "t", null, "e", 3, "resid", null, 2000),
        runners.received.get(2));
    assertEquals(0, run("demo", "--real"));
    DemoOptions real = (DemoOptions) runners.received.get(3);
    assertTrue(real.real() && !real.passages());
    assertEquals(3072, real.dSae());
    assertEquals(600, real.steps());
    assertEquals(3000, real.realTexts());
    assertEquals(0, run("demo", "--real", "--passages"));
    assertEquals(1166, ((DemoOptions) runners.received.get(4)).realTexts());
    assertEquals("", stderr());
  }

  @Test
  void givenModelCommandOptionsThatDoNotFit_whenRun_thenExitTwoAndNoRunner() {
    assertEquals(2, run("harvest", "--input", "t", "--output", "s", "--site", "attn"));
    assertTrue(oneErrorLine().contains("--site must be resid or mlp, got attn"));
    fresh();
    assertEquals(2, run("harvest", "--input", "t", "--output", "t"));
    assertTrue(oneErrorLine().contains("same location"));
    fresh();
    assertEquals(2, run("demo", "--real", "--rows", "5"));
    assertTrue(oneErrorLine().contains("--rows, --d-in and --features describe the synthetic store"));
    fresh();
    assertEquals(2, run("demo", "--texts", "5"));
    assertTrue(oneErrorLine().contains("--texts applies to the real demo"));
    fresh();
    assertEquals(2, run("demo", "--real", "--texts", "6500"));
    assertTrue(oneErrorLine().contains("--texts must be between 1 and 6267"));
    fresh();
    assertEquals(2, run("evaluate", "--model", "m", "--input", "t", "--output", "m"));
    assertTrue(oneErrorLine().contains("the summary would replace the model"));
    assertEquals(0, runners.obtained);
  }

  @Test
  void givenEachOtherCommand_whenRun_thenItsRunnerGetsTheParsedOptions() {
    assertEquals(0, run("analyze", "--model", "m", "--input", "i", "--output", "o", "--top-k", "5",
        "--on-invalid", "SKIP"));
    assertEquals(new AnalyzeOptions("m", "i", "activation", OnInvalid.SKIP, "o", 5, 0),
        runners.received.get(0));
    assertEquals(0, run("encode", "--model", "m", "--input", "i", "--output", "o", "--dense",
        "--column", "resid"));
    assertEquals(new EncodeOptions("m", "i", "resid", OnInvalid.FAIL, "o", true, false, 0),
        runners.received.get(1));
    assertEquals(0, run("demo", "--steps", "10"));
    DemoOptions demo = (DemoOptions) runners.received.get(2);
    assertEquals(10, demo.steps());
    assertTrue(demo.output().isEmpty());
    assertEquals(DemoOptions.defaults().dSae(), demo.dSae());
    assertEquals(0, run("bench", "--spark", "local[2]", "--d-in", "64", "--target-l0", "0"));
    BenchOptions bench = (BenchOptions) runners.received.get(3);
    assertEquals("local[2]", bench.sparkMaster());
    assertEquals(64, bench.dIn());
    assertEquals(0, bench.targetL0());
    assertEquals("", stderr());
  }

  @Test
  void givenARunnerFailingWithInvalidInput_whenRun_thenExitThree() {
    runners.failWith = Errors.invalidInput("row 7 has 12 values, expected 16", "part-0.parquet",
        "fix the writer");
    assertEquals(3, run(train()));
    assertTrue(oneErrorLine().contains("row 7 has 12 values"));
  }

  @Test
  void givenSparkWrappingAGsaeException_whenRun_thenTheInnerCodeAndMessageWin() {
    Exception inner = Errors.invalidInput("NaN in row 3", "part-1.parquet", "clean the data");
    runners.failWith = new RuntimeException("wrapper",
        new SparkException("Job aborted due to stage failure: Task 0 failed\nDriver stacktrace:\n\tat x",
            inner));
    assertEquals(3, run("encode", "--model", "m", "--input", "i", "--output", "o"));
    String line = oneErrorLine();
    assertTrue(line.contains("NaN in row 3") && !line.contains("Job aborted"), line);
  }

  @Test
  void givenARunnerFailingWithIo_whenRun_thenExitFour() {
    runners.failWith = Errors.io("writing the model", "hdfs://nn/runs/x",
        new java.io.IOException("disk full\nmore detail"));
    assertEquals(4, run("demo"));
    assertTrue(oneErrorLine().contains("disk full more detail"));
  }

  @Test
  void givenARunnerFailingWithABug_whenRun_thenExitOneWithoutAStackTrace() {
    runners.failWith = new IllegalStateException("boom\n\tat some.Frame(File.java:1)");
    assertEquals(1, run("bench"));
    String line = oneErrorLine();
    assertTrue(line.contains("IllegalStateException: boom"), line);
    assertTrue(!line.contains("some.Frame"), line);
  }

  /** Java Errors escape picocli's handler; they too end in one line with a fix, no trace. */
  @Test
  void givenARunnerRunningOutOfMemory_whenRun_thenOneLineWithTheHeapLimitAndTheSetting() {
    runners.failWith = new OutOfMemoryError("Java heap space");
    assertEquals(1, run(train()));
    String line = oneErrorLine();
    assertTrue(line.startsWith("gsae: error: out of memory (Java heap space): this JVM's heap is at most "
        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB"), line);
    assertTrue(line.contains("GSAE_JAVA_OPTS=-Xmx") && line.contains("--driver-memory"), line);
  }

  @Test
  void givenAFullDiskReportedAsHadoopsFsError_whenRun_thenExitFourAndOneLine() throws Exception {
    Constructor<FSError> c = FSError.class.getDeclaredConstructor(Throwable.class);
    c.setAccessible(true);
    runners.failWith = c.newInstance(new java.io.IOException("No space left on device"));
    assertEquals(4, run(train()));
    String line = oneErrorLine();
    assertTrue(line.contains("No space left on device (is the disk or quota full?)"), line);
  }
}
