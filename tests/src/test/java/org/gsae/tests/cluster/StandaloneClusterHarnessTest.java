package org.gsae.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness pieces that need no cluster: parsing, validation, and {@link SparkSubmitRunner}
 * on {@code local[2]} with the probe jar and with the shaded jobs jar.
 */
class StandaloneClusterHarnessTest {

  /** Captured from a Spark 3.5.9 Master with one Worker registered. */
  private static final String MASTER_JSON = """
      {
        "url" : "spark://127.0.0.1:47077",
        "workers" : [ {
          "id" : "worker-20261121082348-127.0.0.1-46679",
          "host" : "127.0.0.1", "port" : 46679, "webuiaddress" : "http://127.0.0.1:42871",
          "cores" : 1, "coresused" : 0, "coresfree" : 1,
          "memory" : 1024, "memoryused" : 0, "memoryfree" : 1024,
          "resources" : { }, "resourcesused" : { }, "resourcesfree" : { },
          "state" : "ALIVE", "lastheartbeat" : 1795249431611
        } ],
        "aliveworkers" : 1, "cores" : 1, "coresused" : 0, "memory" : 1024, "memoryused" : 0,
        "resources" : [ { } ], "resourcesused" : [ { } ],
        "activeapps" : [ ], "completedapps" : [ ],
        "activedrivers" : [ ], "completeddrivers" : [ ], "status" : "ALIVE"
      }
      """;

  @Test
  void givenMasterJson_whenParsed_thenWorkersAndStateAreRead() throws Exception {
    MasterStatus s = MasterStatus.parse(MASTER_JSON);
    assertEquals("spark://127.0.0.1:47077", s.url());
    assertEquals("ALIVE", s.status());
    assertEquals(1, s.aliveWorkers());
    assertEquals(new MasterStatus.Worker("worker-20261121082348-127.0.0.1-46679", "127.0.0.1",
        46679, "ALIVE", 1, 0), s.workers().get(0));
    assertTrue(s.activeApps().isEmpty());
  }

  @Test
  void givenProcNetAddresses_whenDecoded_thenLoopbackIsRecognised() throws Exception {
    // Kernel notation: 32-bit words in little-endian byte order.
    assertEquals(InetAddress.getByName("127.0.0.1"), ListeningSockets.decodeAddress("0100007F"));
    assertEquals(InetAddress.getByName("10.1.2.3"), ListeningSockets.decodeAddress("0302010A"));
    assertEquals(InetAddress.getByName("127.0.0.1"),
        ListeningSockets.decodeAddress("0000000000000000FFFF00000100007F"));
    assertEquals(InetAddress.getByName("::1"),
        ListeningSockets.decodeAddress("00000000000000000000000001000000"));
    assertFalse(ListeningSockets.decodeAddress("00000000").isLoopbackAddress());
    assertFalse(ListeningSockets.decodeAddress("00000000000000000000000000000000")
        .isLoopbackAddress());
  }

  @Test
  void givenBadClusterShape_whenBuilt_thenTheMessageNamesTheValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfig.defaults().withWorkers(0));
    assertTrue(e.getMessage().contains("workers must be >= 1, got 0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfig.defaults().withWorkerMemory("lots"));
    assertTrue(e.getMessage().contains("lots"), e.getMessage());
  }

  @Test
  void givenNoJobsJar_whenRequired_thenTheMessageSaysHowToBuildIt(@TempDir Path dir) {
    Path missing = dir.resolve("gsae-jobs-0.0.0-all.jar");
    var e = assertThrows(IllegalStateException.class, () -> SparkSubmitRunner.requireJar(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("mvn -B -pl tests -am verify"), e.getMessage());
  }

  @Test
  void givenNoTimeToStart_whenStarted_thenTheFailureShowsTheLogAndNothingIsLeftRunning() {
    var e = assertThrows(IllegalStateException.class, () -> LocalStandaloneCluster.start(
        ClusterConfig.defaults().withStartTimeout(Duration.ofMillis(1))));
    assertTrue(e.getMessage().contains("did not become ALIVE"), e.getMessage());
    Matcher m = Pattern.compile("--- master \\(pid (\\d+), [^)]*, log (\\S+)\\)")
        .matcher(e.getMessage());
    assertTrue(m.find(), e.getMessage());
    long pid = Long.parseLong(m.group(1));
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "master pid " + pid + " still alive after the failed start");
    assertTrue(m.group(2).endsWith("master.log"), e.getMessage());
  }

  @Test
  void givenLocalMaster_whenProbeSubmitted_thenTheDriverRunsTheTasks() {
    SubmitResult r = SparkSubmitRunner.local(2)
        .withAppJar(ProbeJar.build())
        .withMainClass(ProbeJar.mainClass())
        .withLabel("local-sum")
        .withDriverHeap("512m")
        .withArgs("sum", "1000", "4")
        .withTimeout(Duration.ofMinutes(2))
        .run()
        .assertSucceeded();
    Map<String, String> out = StandaloneClusterSmokeTest.probeOutput(r);
    assertEquals("1001000", out.get("result"), r::describe);
    assertEquals("driver", out.get("taskExecutors"), r::describe);
    assertTrue(out.get("appId").startsWith("local-"), r::describe);
  }

  @Test
  void givenAHangingDriver_whenTheTimeoutPasses_thenItIsKilledAndReportedAsTimedOut() {
    RunningSubmit running = SparkSubmitRunner.local(1)
        .withAppJar(ProbeJar.build())
        .withMainClass(ProbeJar.mainClass())
        .withLabel("hang")
        .withDriverHeap("256m")
        .withArgs("hang")
        .withTimeout(Duration.ofSeconds(8))
        .start();
    SubmitResult r = running.await();
    assertTrue(r.timedOut(), r::describe);
    assertEquals(-1, r.exitCode());
    assertFalse(r.succeeded());
    assertFalse(running.isAlive(), "driver still alive after the timeout");
    assertThrows(AssertionError.class, r::assertSucceeded);
  }

  @Test
  void givenTheShadedJobsJar_whenVersionSubmitted_thenItRunsOnSparkHomeAlone() {
    SubmitResult r = SparkSubmitRunner.local(1)
        .withLabel("jobs-version")
        .withArgs("--version")
        .withTimeout(Duration.ofMinutes(2))
        .run()
        .assertSucceeded();
    assertTrue(r.stdout().startsWith("gsae "), r::describe);
    assertTrue(r.stdout().contains("Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()),
        r::describe);
  }

  @Test
  void givenAnUnknownCommand_whenSubmitted_thenTheUsageExitCodeComesThroughSparkSubmit() {
    SubmitResult r = SparkSubmitRunner.local(1)
        .withLabel("jobs-unknown")
        .withArgs("no-such-command")
        .withTimeout(Duration.ofMinutes(2))
        .run();
    assertEquals(2, r.exitCode(), r::describe);
    assertTrue(r.stderr().contains("gsae: error: "), r::describe);
  }
}
