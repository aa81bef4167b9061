package org.gsae.tests.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.gsae.tests.cluster.LocalStandaloneCluster;
import org.gsae.tests.cluster.MasterStatus;
import org.gsae.tests.cluster.SparkSubmitRunner;

/** How the cluster suites submit gsae jobs, and how they find the application a job ran as. */
final class ClusterJobs {
  /** Generous for a busy 2-core machine; a gsae job here takes 20-60 s. */
  static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(4);

  private ClusterJobs() {}

  /**
   * A runner for {@code cluster} with the shaded jobs jar: executors of 512 MiB (a Worker
   * offers 1 GiB), and the first job waits until every Worker's executor has registered
   * ({@code spark.cores.max} = all cores, ratio 1.0), so the packed blocks are spread over
   * both executors and a fault hits cached data.
   */
  static SparkSubmitRunner submit(LocalStandaloneCluster cluster, String label) {
    int cores = cluster.config().workers() * cluster.config().coresPerWorker();
    return cluster.submit()
        .withLabel(label)
        .withConf("spark.executor.memory", "512m")
        .withConf("spark.cores.max", Integer.toString(cores))
        .withConf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .withConf("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s")
        .withTimeout(SUBMIT_TIMEOUT);
  }

  /** Ids of every application the Master knows (running or finished). */
  static Set<String> appIds(LocalStandaloneCluster cluster) {
    MasterStatus s = cluster.status();
    Set<String> ids = new TreeSet<>();
    s.activeApps().forEach(a -> ids.add(a.id()));
    s.completedApps().forEach(a -> ids.add(a.id()));
    return ids;
  }

  /**
   * The one application id in {@link #appIds} now that was not in {@code before}.
   *
   * @throws AssertionError if there is not exactly one
   */
  static String newAppId(LocalStandaloneCluster cluster, Set<String> before) {
    List<String> fresh = appIds(cluster).stream().filter(id -> !before.contains(id)).toList();
    if (fresh.size() != 1) {
      throw new AssertionError("expected one new application, found " + fresh
          + "; Master status: " + cluster.status());
    }
    return fresh.get(0);
  }

  /** The running application's id, waiting up to {@code wait} for the Master to list it. */
  static String awaitRunningAppId(LocalStandaloneCluster cluster, Set<String> before,
      Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> running = cluster.status().activeApps().stream()
          .map(MasterStatus.App::id).filter(id -> !before.contains(id)).toList();
      if (running.size() == 1) {
        return running.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no single new running application within " + wait
            + "; Master status: " + cluster.status());
      }
      Pause.millis(100);
    }
  }

  /** Waits until the Master lists no running application (a killed driver's app is removed). */
  static void awaitNoRunningApps(LocalStandaloneCluster cluster, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!cluster.status().activeApps().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("applications still running after " + wait + ": "
            + cluster.status().activeApps());
      }
      Pause.millis(100);
    }
  }
}
