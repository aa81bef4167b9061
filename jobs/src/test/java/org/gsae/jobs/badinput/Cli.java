package org.gsae.jobs.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.gsae.jobs.Main;
import org.gsae.jobs.run.AnalyzeRunner;
import org.gsae.jobs.run.BenchRunner;
import org.gsae.jobs.run.DemoRunner;
import org.gsae.jobs.run.EncodeRunner;
import org.gsae.jobs.run.EvaluateRunner;
import org.gsae.jobs.run.HarvestRunner;
import org.gsae.jobs.run.ImportIdxRunner;
import org.gsae.jobs.run.ReportRunner;
import org.gsae.jobs.run.RunnerProvider;
import org.gsae.jobs.run.ShuffleRunner;
import org.gsae.jobs.run.TrainRunner;

/**
 * Runs {@code sae} through {@link Main#run} with the production runners (a real local Spark
 * session for {@code train}) and captured stdout/stderr, and checks the failure contract:
 * the exit code, exactly one {@code gsae: error: ...} line on stderr, nothing on stdout.
 */
final class Cli {
  /** Settings that keep a training run to a few seconds on two cores. */
  static final List<String> FAST = List.of("--set", "train.steps=2", "--set", "train.batch_size=8",
      "--set", "model.d_sae=8", "--set", "spark.master=local[2]");

  private Cli() {}

  /** What one invocation did. */
  record Result(int code, String stdout, String stderr, int runnersObtained) {

    /**
     * Asserts the failure contract for exit code {@code expected} and returns the error line
     * without its {@code gsae: error: } prefix.
     */
    String failedWith(int expected) {
      assertEquals(expected, code, () -> "exit code; stderr: " + stderr);
      List<String> lines = stderr.lines().toList();
      assertEquals(1, lines.size(), () -> "exactly one line on stderr, got: " + stderr);
      assertTrue(stderr.endsWith(System.lineSeparator()), "a whole line");
      String line = lines.get(0);
      assertTrue(line.startsWith("gsae: error: "), line);
      assertFalse(line.contains("\tat "), () -> "no stack trace: " + line);
      assertEquals("", stdout, "nothing on stdout after a failure");
      return line.substring("gsae: error: ".length());
    }
  }

  /** Runs {@code sae args...} with the production runners. */
  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CountingRunners runners = new CountingRunners();
    int code = new Main(runners, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        runners.obtained);
  }

  /** {@code train} on {@code store} into {@code out} with {@link #FAST} settings, then {@code more}. */
  static Result train(String store, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--set", "input.path=" + store,
        "--set", "output.path=" + out));
    args.addAll(FAST);
    args.addAll(Arrays.asList(more));
    return run(args.toArray(new String[0]));
  }

  /**
   * Every regular file under {@code root} (relative path to SHA-256 of its bytes); empty
   * when {@code root} does not exist. Equal snapshots mean nothing was added, removed or
   * changed.
   */
  static Map<String, String> snapshot(Path root) {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(root)) {
      return files;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
        files.put(root.relativize(p).toString(), HexFormat.of().formatHex(digest));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return files;
  }

  /** Asserts that {@code out} does not exist and left no hidden temporary sibling behind. */
  static void assertNoOutput(Path out) {
    assertFalse(Files.exists(out), () -> "no output at " + out + ": " + snapshot(out));
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      List<String> temps = siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + out.getFileName())).toList();
      assertEquals(List.of(), temps, "no temporary siblings of " + out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The production runners, counting look-ups (none may happen for an invalid config). */
  static final class CountingRunners implements RunnerProvider {
    int obtained;

    @Override
    public TrainRunner train() {
      obtained++;
      return RunnerProvider.DEFAULT.train();
    }

    @Override
    public DemoRunner demo() {
      obtained++;
      return RunnerProvider.DEFAULT.demo();
    }

    @Override
    public AnalyzeRunner analyze() {
      obtained++;
      return RunnerProvider.DEFAULT.analyze();
    }

    @Override
    public EncodeRunner encode() {
      obtained++;
      return RunnerProvider.DEFAULT.encode();
    }

    @Override
    public BenchRunner bench() {
      obtained++;
      return RunnerProvider.DEFAULT.bench();
    }

    @Override
    public ShuffleRunner shuffle() {
      obtained++;
      return RunnerProvider.DEFAULT.shuffle();
    }

    @Override
    public ReportRunner report() {
      obtained++;
      return RunnerProvider.DEFAULT.report();
    }

    @Override
    public ImportIdxRunner importIdx() {
      obtained++;
      return RunnerProvider.DEFAULT.importIdx();
    }

    @Override
    public HarvestRunner harvest() {
      obtained++;
      return RunnerProvider.DEFAULT.harvest();
    }

    @Override
    public EvaluateRunner evaluate() {
      obtained++;
      return RunnerProvider.DEFAULT.evaluate();
    }
  }
}
