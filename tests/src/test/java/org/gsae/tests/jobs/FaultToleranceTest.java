package org.gsae.tests.jobs;

import static org.gsae.tests.jobs.GsaeCommands.uri;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.gsae.tests.cluster.ClusterConfig;
import org.gsae.tests.cluster.ClusterTest;
import org.gsae.tests.cluster.LocalStandaloneCluster;
import org.gsae.tests.cluster.ProcessTree;
import org.gsae.tests.cluster.RunningSubmit;
import org.gsae.tests.cluster.SparkSubmitRunner;
import org.gsae.tests.cluster.SubmitResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} on a real two-Worker standalone cluster survives {@code kill -9} of an executor,
 * of a Worker, and of the driver (then resumed by re-running the same command), and in each
 * case ends with final weights and per-step metrics BIT-FOR-BIT equal to an undisturbed run of
 * the same command on the same cluster (run once, in {@link #startClusterAndTrainReference});
 * so does the same command on {@code local[2]}.
 * That is the contract of docs/architecture.md §6: a step is a pure function of (parameters, optimiser
 * state, step index) with a fixed partitioning ({@code spark.partitions=2}), so a lost executor
 * costs only recomputation and a lost driver resumes from its last checkpoint. The store is read
 * in four windows (one per file, {@code input.window_bytes=1}), packed in the background while
 * steps run, so every fault hits resident or half-packed windows and the resume crosses windows.
 *
 * <p>Every run is watched: no visible checkpoint directory may ever lack one of its four files.
 * The Worker test runs last because it leaves one Worker.
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {
  private static final int FILES = 4;
  private static final int ROWS_PER_FILE = 1000;
  private static final int D_IN = 16;
  /**
   * Large enough that a partition's gradient (4 (2 d_in d_sae + 3 d_sae + d_in) bytes, 4.6 MB)
   * reaches the driver through the block manager, fetched from the executors, not as a task
   * result (gsae returns gradients under 1 MiB as task results).
   */
  private static final int D_SAE = 8192;
  private static final int STEPS = 40;
  private static final int CHECKPOINT_EVERY = 10;
  private static final List<String> SETTINGS = List.of(
      "model.d_sae=" + D_SAE, "train.steps=" + STEPS, "train.batch_size=256", "train.lr=1e-3",
      "train.checkpoint_every=" + CHECKPOINT_EVERY, "train.log_every=10", "spark.partitions=2",
      "analyze.after_train=false", "input.window_bytes=1");
  private static final Duration UNTIL_CHECKPOINT = Duration.ofMinutes(3);

  @TempDir static Path dir;
  private LocalStandaloneCluster cluster;
  private ForeignStore.Written store;
  private float[] referenceWeights;
  private List<double[]> referenceMetrics;

  @BeforeAll
  void startClusterAndTrainReference() {
    store = ForeignStore.write(uri(dir.resolve("store")), FILES, ROWS_PER_FILE, D_IN, 2 * D_IN, 23);
    cluster = LocalStandaloneCluster.start(ClusterConfig.defaults().withWorkers(2));
    System.out.printf("[faults] 2 Workers up in %d ms%n", cluster.startupTime().toMillis());

    TrainOutput ref = output("reference");
    CheckpointWatch watch = new CheckpointWatch(ref);
    SubmitResult r;
    try (RunningSubmit running = startTrain(ref, "reference")) {
      r = watch.awaitExit(running).assertSucceeded();
    }
    assertEquals(STEPS + " run", JobOutputs.reportValue(r.stdout(), "steps").orElse(null), r::describe);
    assertEquals(List.of(), watch.violations(), "half-written checkpoints in the reference run");
    referenceWeights = ref.weights();
    referenceMetrics = ref.metrics();
    assertEquals(STEPS, referenceMetrics.size());
    System.out.printf("[faults] reference: %d steps, %d ms wall (%s), %d checkpoint polls%n", STEPS,
        r.elapsed().toMillis(), JobOutputs.reportValue(r.stdout(), "throughput").orElse("?"),
        watch.polls());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      assertEquals(List.of(), cluster.closeAndListSurvivors(), "cluster processes alive after close()");
    }
  }

  /**
   * The same command on {@code local[2]}: the tasks run in the driver's JVM, which reads the
   * partition gradients from its own block manager in place, where on the cluster it fetches
   * them from the executors as bytes. Both must train the same weights, bit for bit.
   */
  @Test
  @Order(0)
  void localModeRun_endsWithTheReferenceWeights() {
    TrainOutput out = output("local");
    SubmitResult r = SparkSubmitRunner.local(2).withLabel("local-reference").withQuickStartJvms(false)
        .withArgs(GsaeCommands.train(store.uri(), out.uri(), SETTINGS)).run();
    System.out.printf("[faults] local[2]: %d ms wall%n", r.elapsed().toMillis());
    r.assertSucceeded();
    assertSameAsReference(out);
  }

  @Test
  @Order(1)
  void executorKilledMidTraining_jobFinishesWithTheReferenceWeights() {
    TrainOutput out = output("executor-killed");
    CheckpointWatch watch = new CheckpointWatch(out);
    Set<String> before = ClusterJobs.appIds(cluster);
    SubmitResult r;
    long killedAfter;
    String victimId;
    boolean duringPacking;
    try (RunningSubmit running = startTrain(out, "executor-killed")) {
      killedAfter = watch.awaitCheckpoint(running, CHECKPOINT_EVERY, UNTIL_CHECKPOINT);
      // Each file is a window (input.window_bytes=1), packed in the background while steps run:
      // kill as soon as the next packing starts, so the kill usually lands inside it. Either
      // way the dead executor held cached blocks and shuffle output of resident windows.
      int started = count(running.stderrSoFar(), "packing window");
      long deadline = System.nanoTime() + UNTIL_CHECKPOINT.toNanos();
      while (count(running.stderrSoFar(), "packing window") == started && running.isAlive()
          && System.nanoTime() < deadline) {
        Pause.millis(20);
      }
      int packedBefore = count(running.stderrSoFar(), "packed window");
      String appId = ClusterJobs.awaitRunningAppId(cluster, before, Duration.ofSeconds(10));
      victimId = cluster.executorIdsOf(0, appId).stream()
          .filter(id -> cluster.executor(0, appId, id).isPresent())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no live executor of " + appId + " on worker-0"));
      ProcessHandle victim = cluster.executor(0, appId, victimId).orElseThrow();
      assertTrue(running.isAlive(), "training ended before the kill");
      cluster.killExecutor(victim.pid());
      assertFalse(victim.isAlive());
      duringPacking = count(running.stderrSoFar(), "packed window") == packedBefore;
      r = watch.awaitExit(running);
    }
    System.out.printf("[faults] executor %s killed after checkpoint %d%s: %d ms wall%n", victimId,
        killedAfter, duringPacking ? ", while a window was being packed" : "",
        r.elapsed().toMillis());
    r.assertSucceeded();
    assertTrue(killedAfter < STEPS, "killed after the last step");
    assertTrue(r.stderr().contains("Lost executor " + victimId + " "),
        () -> "Spark did not report executor " + victimId + " lost\n" + r.describe());
    assertEquals(STEPS + " run", JobOutputs.reportValue(r.stdout(), "steps").orElse(null));
    assertEquals(List.of(), watch.violations(), "half-written checkpoints seen");
    assertSameAsReference(out);
  }

  @Test
  @Order(2)
  void driverKilledAfterACheckpoint_rerunResumesAndEndsWithTheReferenceWeights() {
    TrainOutput out = output("driver-killed");
    CheckpointWatch watch = new CheckpointWatch(out);
    try (RunningSubmit running = startTrain(out, "driver-killed")) {
      long seen = watch.awaitCheckpoint(running, 2 * CHECKPOINT_EVERY, UNTIL_CHECKPOINT);
      assertTrue(running.isAlive(), "training ended before the kill");
      // kill -9 of the SparkSubmit JVM alone: the driver, in client mode.
      ProcessHandle driver = ProcessHandle.of(running.pid()).orElseThrow();
      ProcessTree.killNow(driver, Duration.ofSeconds(15));
      SubmitResult killed = running.await();
      assertNotEquals(0, killed.exitCode(), killed::describe);
      System.out.printf("[faults] driver killed after checkpoint %d was seen, %d ms into the run%n",
          seen, killed.elapsed().toMillis());
    }
    watch.poll();
    assertEquals(List.of(), watch.violations(), "half-written checkpoints seen");
    long resumeStep = out.newestCheckpointStep().orElseThrow();
    assertTrue(resumeStep >= 2 * CHECKPOINT_EVERY && resumeStep < STEPS,
        "newest checkpoint after the kill: " + resumeStep);
    assertFalse(JobOutputs.exists(out.model()), "the killed run wrote the final model");
    ClusterJobs.awaitNoRunningApps(cluster, Duration.ofSeconds(60));

    CheckpointWatch rerunWatch = new CheckpointWatch(out);
    SubmitResult r;
    try (RunningSubmit rerun = startTrain(out, "driver-killed-rerun")) {
      r = rerunWatch.awaitExit(rerun);
    }
    System.out.printf("[faults] re-run resumed at step %d: %d ms wall%n", resumeStep,
        r.elapsed().toMillis());
    r.assertSucceeded();
    assertEquals((STEPS - resumeStep) + " run (resumed at step " + resumeStep + ")",
        JobOutputs.reportValue(r.stdout(), "steps").orElse(null), r::describe);
    assertEquals(List.of(), rerunWatch.violations(), "half-written checkpoints seen in the re-run");
    assertSameAsReference(out);
  }

  @Test
  @Order(3)
  void workerKilledMidTraining_jobFinishesOnTheSurvivorWithTheReferenceWeights() {
    TrainOutput out = output("worker-killed");
    CheckpointWatch watch = new CheckpointWatch(out);
    Set<String> before = ClusterJobs.appIds(cluster);
    SubmitResult r;
    long killedAfter;
    List<String> lost;
    try (RunningSubmit running = startTrain(out, "worker-killed")) {
      killedAfter = watch.awaitCheckpoint(running, CHECKPOINT_EVERY, UNTIL_CHECKPOINT);
      String appId = ClusterJobs.awaitRunningAppId(cluster, before, Duration.ofSeconds(10));
      lost = cluster.executorIdsOf(1, appId);
      assertFalse(lost.isEmpty(), "worker-1 runs no executor of " + appId);
      assertTrue(running.isAlive(), "training ended before the kill");
      cluster.killWorker(1);
      assertFalse(cluster.workers().get(1).isAlive());
      r = watch.awaitExit(running);
    }
    System.out.printf("[faults] worker-1 (executors %s) killed after checkpoint %d: %d ms wall%n",
        lost, killedAfter, r.elapsed().toMillis());
    r.assertSucceeded();
    assertTrue(killedAfter < STEPS, "killed after the last step");
    assertTrue(r.stderr().contains("Lost executor " + lost.get(lost.size() - 1) + " "),
        () -> "Spark did not report worker-1's executor lost\n" + r.describe());
    assertEquals(1, cluster.status().aliveWorkers());
    assertEquals(STEPS + " run", JobOutputs.reportValue(r.stdout(), "steps").orElse(null));
    assertEquals(List.of(), watch.violations(), "half-written checkpoints seen");
    assertSameAsReference(out);
  }

  private TrainOutput output(String name) {
    return new TrainOutput(uri(dir.resolve(name)));
  }

  private RunningSubmit startTrain(TrainOutput out, String label) {
    return ClusterJobs.submit(cluster, label)
        .withArgs(GsaeCommands.train(store.uri(), out.uri(), SETTINGS))
        .start();
  }

  private void assertSameAsReference(TrainOutput out) {
    float[] weights = out.weights();
    List<double[]> metrics = out.metrics();
    String diff = WeightDiff.same(referenceWeights, weights) ? "" : WeightDiff.describe(
        referenceWeights, weights, D_IN, D_SAE, referenceMetrics, metrics);
    assertArrayEquals(referenceWeights, weights, () -> "final weights vs the undisturbed run: " + diff);
    // metrics.parquet too: every step's row, bit for bit (no step lost or repeated by a resume).
    boolean sameMetrics = metrics.size() == referenceMetrics.size();
    for (int i = 0; sameMetrics && i < metrics.size(); i++) {
      sameMetrics = Arrays.equals(referenceMetrics.get(i), metrics.get(i));
    }
    assertTrue(sameMetrics, () -> "metrics.parquet vs the undisturbed run: "
        + WeightDiff.firstMetricsDifference(referenceMetrics, metrics));
    assertEquals(STEPS, out.loadModel().info().provenance().stepsTrained(), "steps trained");
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
