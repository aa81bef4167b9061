package org.gsae.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The harness on a real two-Worker standalone cluster: registration, loopback-only sockets,
 * a job spread over both Workers, and a job that survives {@code kill -9} of an executor and
 * of a Worker. One cluster serves the class; the fault test runs last because it leaves one
 * Worker.
 */
@ClusterTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterSmokeTest {

  private static final int WORKERS = 2;
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration TASKS_RUNNING = Duration.ofSeconds(90);

  private LocalStandaloneCluster cluster;
  private Path probeJar;

  @BeforeAll
  void startCluster() {
    probeJar = ProbeJar.build();
    cluster = LocalStandaloneCluster.start(ClusterConfig.defaults().withWorkers(WORKERS));
    System.out.printf("[cluster] %d Workers registered %d ms after start, master %s, scratch %s%n",
        WORKERS, cluster.startupTime().toMillis(), cluster.masterUrl(), cluster.scratchDir());
  }

  @AfterAll
  void stopCluster() {
    if (cluster == null) {
      return;
    }
    assertEquals(List.of(), cluster.closeAndListSurvivors(),
        "processes of the cluster still alive after close()");
    assertEquals(List.of(), cluster.liveProcesses());
  }

  @Test
  @Order(1)
  void everyWorkerRegistersAndEveryDaemonListensOnLoopbackOnly() throws IOException {
    MasterStatus status = cluster.status();
    assertEquals(cluster.masterUrl(), status.url());
    assertEquals(WORKERS, status.aliveWorkers(), () -> "Master status: " + status);
    for (MasterStatus.Worker w : status.workers()) {
      assertEquals("127.0.0.1", w.host(), () -> "Worker " + w);
      assertEquals(1, w.cores(), () -> "Worker " + w);
    }
    assumeTrue(ListeningSockets.supported(), "needs Linux /proc");
    List<ListeningSockets.Listener> listeners = ListeningSockets.of(cluster.liveProcesses());
    // Master: RPC + web UI; each Worker: RPC + web UI.
    assertTrue(listeners.size() >= 2 + 2 * WORKERS, () -> "listeners: " + listeners);
    assertAllLoopback(listeners);
  }

  @Test
  @Order(2)
  void trivialJobUsesAnExecutorOnEveryWorkerAndGetsTheRightSum() {
    SubmitResult r = probe("sum").withArgs("sum", "1000", "4").run().assertSucceeded();
    Map<String, String> out = probeOutput(r);
    // sum of 2x for x in 1..1000 = 1000 * 1001
    assertEquals("1001000", out.get("result"), r::describe);
    Set<String> taskExecutors = new HashSet<>(Arrays.asList(out.get("taskExecutors").split(",")));
    for (int i = 0; i < WORKERS; i++) {
      List<String> launched = cluster.executorIdsOf(i, out.get("appId"));
      assertFalse(launched.isEmpty(), "worker-" + i + " launched no executor\n" + r.describe());
      assertTrue(launched.stream().anyMatch(taskExecutors::contains),
          "no task ran on worker-" + i + "'s executors " + launched + "; tasks ran on "
              + taskExecutors + "\n" + r.describe());
    }
    System.out.printf("[cluster] trivial job: %d ms wall (SparkSubmit start to exit)%n",
        r.elapsed().toMillis());
  }

  /**
   * One job, two faults: {@code kill -9} of an executor of worker-0 while it runs tasks, then
   * at once {@code kill -9} of worker-1 while its executor runs tasks. For a while no executor
   * is left; the Master launches a replacement on worker-0 and the job finishes there.
   */
  @Test
  @Order(3)
  void jobSurvivesAnExecutorAndThenAWorkerKilledWithSigkillMidJob() throws Exception {
    int tasks = 200;
    try (RunningSubmit running = probe("faults")
        .withArgs("slow", Integer.toString(tasks), "100").start()) {
      String appId = awaitAppId(running);
      // Only executors that are running tasks make the kills mid-job faults.
      String victimId = cluster.awaitExecutorStdout(0, appId, "PROBE-TASK", TASKS_RUNNING);
      String lostWithWorkerId = cluster.awaitExecutorStdout(1, appId, "PROBE-TASK", TASKS_RUNNING);
      ProcessHandle victim = cluster.executor(0, appId, victimId).orElseThrow(
          () -> new AssertionError("executor " + victimId + " of worker-0 is not running; "
              + cluster.executorPidsByWorker()));
      if (ListeningSockets.supported()) {
        List<ProcessHandle> everything = new ArrayList<>(cluster.liveProcesses());
        everything.addAll(running.processTree());
        assertAllLoopback(ListeningSockets.of(everything));
      }
      assertFalse(running.stdoutSoFar().contains("PROBE result="), "job ended before the kills");
      cluster.killExecutor(victim.pid());
      assertFalse(victim.isAlive());
      cluster.killWorker(1);
      assertFalse(cluster.workers().get(1).isAlive());

      SubmitResult r = running.await().assertSucceeded();
      Map<String, String> out = probeOutput(r);
      assertEquals(Long.toString(sumOfSquaresBelow(tasks)), out.get("result"), r::describe);
      for (String lost : List.of(victimId, lostWithWorkerId)) {
        assertTrue(r.stderr().contains("Lost executor " + lost + " "),
            () -> "Spark did not report executor " + lost + " lost\n" + r.describe());
      }
      // The Master replaced the killed executor on the Worker whose core it freed.
      List<String> launched = cluster.executorIdsOf(0, appId);
      assertTrue(launched.size() >= 2, () -> "worker-0 executors: " + launched);
      assertEquals(WORKERS - 1, cluster.status().aliveWorkers());
      System.out.printf("[cluster] %d x 100 ms tasks, executor %s then worker-1 killed: "
          + "%d ms wall%n", tasks, victimId, r.elapsed().toMillis());
    }
  }

  private static String awaitAppId(RunningSubmit running) {
    String line = running.awaitStdoutLine("PROBE appId=", SUBMIT_TIMEOUT).orElseThrow(
        () -> new AssertionError("no SparkContext\n" + running.stderrSoFar()));
    return line.substring("PROBE appId=".length());
  }

  private SparkSubmitRunner probe(String label) {
    ClusterConfig c = cluster.config();
    return cluster.submit()
        .withAppJar(probeJar)
        .withMainClass(ProbeJar.mainClass())
        .withLabel(label)
        .withDriverHeap("512m")
        .withConf("spark.executor.memory", "512m")
        // The standalone scheduler starts tasks as soon as one executor registers (its default
        // ratio is 0, unlike YARN's 0.8): with ratio 1.0 and cores.max = all cores, the first
        // task waits (up to 60 s) for every Worker's executor, so tasks land on every Worker.
        .withConf("spark.cores.max", Integer.toString(c.workers() * c.coresPerWorker()))
        .withConf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .withConf("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s")
        .withTimeout(SUBMIT_TIMEOUT);
  }

  /** {@code sum_{i < n} i^2 = (n-1) n (2n-1) / 6}. */
  private static long sumOfSquaresBelow(long n) {
    return (n - 1) * n * (2 * n - 1) / 6;
  }

  /** The probe's {@code PROBE key=value} lines. */
  static Map<String, String> probeOutput(SubmitResult r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : r.stdoutLines()) {
      if (line.startsWith("PROBE ") && line.indexOf('=') > 0) {
        int eq = line.indexOf('=');
        out.put(line.substring("PROBE ".length(), eq), line.substring(eq + 1));
      }
    }
    return out;
  }

  private static void assertAllLoopback(List<ListeningSockets.Listener> listeners) {
    List<ListeningSockets.Listener> exposed =
        listeners.stream().filter(l -> !l.isLoopback()).toList();
    assertEquals(List.of(), exposed, () -> "sockets not on loopback; all listeners: " + listeners);
  }
}
