package org.gsae.tests.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the JVMs of a {@link LocalStandaloneCluster}: the Master (on free ports, retried if
 * a port is taken between picking and binding) and then the Workers. Waiting for the Workers
 * to register is the cluster's job.
 */
final class ClusterLauncher {

  private static final String MASTER_MAIN = "org.apache.spark.deploy.master.Master";
  private static final String WORKER_MAIN = "org.apache.spark.deploy.worker.Worker";
  private static final int MASTER_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;
  private static final long POLL_MILLIS = 250;
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);

  /**
   * A Master that is up.
   *
   * @param daemon    its JVM
   * @param port      its RPC port ({@code spark://127.0.0.1:<port>})
   * @param webUiPort its web UI port (JSON status at {@code /json/})
   */
  record Master(SparkDaemon daemon, int port, int webUiPort) {}

  private final SparkHome home;
  private final ClusterConfig config;
  private final Path scratch;
  private final Consumer<SparkDaemon> started;

  /**
   * @param started told of every JVM right after it starts, so that the cluster can stop it
   *                even if the launch fails later on
   */
  ClusterLauncher(SparkHome home, ClusterConfig config, Path scratch,
      Consumer<SparkDaemon> started) {
    this.home = home;
    this.config = config;
    this.scratch = scratch;
    this.started = started;
  }

  /**
   * Starts the Master and waits until it reports itself ALIVE.
   *
   * @param deadline {@link System#nanoTime()} by which it must be up
   * @throws IllegalStateException if it exits for another reason than a taken port, or on
   *     timeout, with its log's tail
   */
  Master startMaster(long deadline) {
    for (int attempt = 1; attempt <= MASTER_ATTEMPTS; attempt++) {
      List<Integer> ports = FreePorts.pick(2);
      String name = attempt == 1 ? "master" : "master-attempt-" + attempt;
      SparkDaemon master = launch(name, MASTER_MAIN, List.of(
          "--host", "127.0.0.1", "--port", ports.get(0).toString(),
          "--webui-port", ports.get(1).toString()));
      while (System.nanoTime() < deadline) {
        boolean bindFailed = master.logTail(200).contains("BindException");
        if (bindFailed && attempt < MASTER_ATTEMPTS) {
          ProcessTree.killNow(master.handle(), KILL_WAIT);
          break;
        }
        if (bindFailed || !master.isAlive()) {
          throw SparkDaemon.failure("The Spark Master exited or could not bind its ports",
              scratch, List.of(master), LOG_TAIL_LINES);
        }
        try {
          if ("ALIVE".equals(MasterStatus.fetch(ports.get(1)).status())) {
            return new Master(master, ports.get(0), ports.get(1));
          }
        } catch (IOException notYet) {
          // The web UI is not up yet.
        }
        pause();
      }
      if (System.nanoTime() >= deadline) {
        throw SparkDaemon.failure("The Spark Master did not become ALIVE within "
            + config.startTimeout(), scratch, List.of(master), LOG_TAIL_LINES);
      }
    }
    throw new IllegalStateException("unreachable: every Master attempt ends in return or throw");
  }

  /**
   * Starts the Workers ({@code worker-0}, ...), each on ephemeral ports (0: the kernel picks,
   * so there is nothing to race for), with its work dir at {@code <scratch>/worker-i/work}.
   */
  List<SparkDaemon> startWorkers(String masterUrl) {
    List<SparkDaemon> workers = new ArrayList<>();
    for (int i = 0; i < config.workers(); i++) {
      Path workDir = ScratchDir.createDirectories(scratch.resolve(workerName(i)).resolve("work"));
      workers.add(launch(workerName(i), WORKER_MAIN, List.of(
          "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
          "--cores", Integer.toString(config.coresPerWorker()),
          "--memory", config.workerMemory(),
          "--work-dir", workDir.toString(),
          masterUrl)));
    }
    return workers;
  }

  /** The name of Worker {@code index}, also its scratch subdirectory's. */
  static String workerName(int index) {
    return "worker-" + index;
  }

  private SparkDaemon launch(String name, String mainClass, List<String> args) {
    SparkDaemon daemon = SparkDaemon.launch(home, config.daemonHeap(), name,
        scratch.resolve(name), mainClass, args);
    started.accept(daemon);
    return daemon;
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting the test cluster", e);
    }
  }
}
