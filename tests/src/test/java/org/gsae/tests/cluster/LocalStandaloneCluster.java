package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and {@link ClusterConfig#workers()}
 * Workers, each its own JVM on the {@link SparkHome} the build materialised, with free ports
 * picked at start, every log, work dir, local dir and temp dir under its own scratch directory
 * ({@code tests/target/cluster-scratch/<run>/}).
 *
 * <p>Call order: {@link #start} (returns once every Worker has registered with the Master),
 * then any number of submissions ({@link #submit()}) and fault injections
 * ({@link #killExecutor}, {@link #killWorker}), then {@link #close()}. {@code close()} stops
 * exactly the processes this object started and the executors they started, found through
 * {@link ProcessHandle#descendants()}; nothing is ever stopped by name. A JVM shutdown hook
 * calls it too, in case a test run is interrupted.
 */
public final class LocalStandaloneCluster implements AutoCloseable {

  private static final int LOG_TAIL_LINES = 40;
  private static final long POLL_MILLIS = 250;
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final SparkHome home;
  private final ClusterConfig config;
  private final Path scratch;
  private final List<SparkDaemon> workers = new ArrayList<>();
  /** Every process started or seen under this cluster, so close() reaches orphans too. */
  private final Set<ProcessHandle> known = ConcurrentHashMap.newKeySet();
  /** Workers stopped on purpose by {@link #killWorker}; their absence is not a failure. */
  private final Set<SparkDaemon> killedWorkers = ConcurrentHashMap.newKeySet();
  private final Thread shutdownHook;
  private SparkDaemon master;
  private int masterPort;
  private int masterWebUiPort;
  private Duration startupTime;
  private boolean closed;

  private LocalStandaloneCluster(SparkHome home, ClusterConfig config) {
    this.home = home;
    this.config = config;
    this.scratch = ScratchDir.create(home.scratchRoot(), "cluster");
    this.shutdownHook = new Thread(this::closeQuietly, "gsae-test-cluster-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a cluster of the default shape ({@link ClusterConfig#defaults()}). */
  public static LocalStandaloneCluster start() {
    return start(ClusterConfig.defaults());
  }

  /** Starts a cluster of the given shape on the build's Spark home. */
  public static LocalStandaloneCluster start(ClusterConfig config) {
    return start(SparkHome.fromSystemProperties(), config);
  }

  /**
   * Starts the Master, then the Workers, and waits until all Workers are registered.
   *
   * @throws IllegalStateException if a daemon exits or the cluster is not up within
   *     {@link ClusterConfig#startTimeout()}; the message holds the tail of every daemon's log.
   *     Whatever was started is stopped first.
   */
  public static LocalStandaloneCluster start(SparkHome home, ClusterConfig config) {
    LocalStandaloneCluster cluster = new LocalStandaloneCluster(home, config);
    try {
      cluster.boot();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.closeQuietly();
      throw e;
    }
  }

  private void boot() {
    long t0 = System.nanoTime();
    long deadline = t0 + config.startTimeout().toNanos();
    ClusterLauncher launcher = new ClusterLauncher(home, config, scratch,
        daemon -> known.add(daemon.handle()));
    ClusterLauncher.Master m = launcher.startMaster(deadline);
    master = m.daemon();
    masterPort = m.port();
    masterWebUiPort = m.webUiPort();
    workers.addAll(launcher.startWorkers(masterUrl()));
    awaitAliveWorkers(config.workers(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /**
   * Waits until the Master counts at least {@code n} ALIVE Workers.
   *
   * @return the Master's status at that moment
   * @throws IllegalStateException on timeout or if a daemon has exited, with every log's tail
   */
  public MasterStatus awaitAliveWorkers(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    MasterStatus last = null;
    while (true) {
      for (SparkDaemon d : daemons()) {
        if (!d.isAlive() && !killedWorkers.contains(d)) {
          throw failure(d.name() + " exited while waiting for " + n + " alive Workers");
        }
      }
      try {
        last = MasterStatus.fetch(masterWebUiPort);
        if (last.aliveWorkers() >= n) {
          return last;
        }
      } catch (IOException e) {
        // Transient; the timeout below reports it if it persists.
      }
      if (System.nanoTime() >= deadline) {
        throw failure("Fewer than " + n + " Workers registered within " + timeout
            + "; last Master status: " + last);
      }
      sleep();
    }
  }

  /** {@code spark://127.0.0.1:<port>}, for {@code --master}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** The Master's web UI port on 127.0.0.1 (its JSON status is at {@code /json/}). */
  public int masterWebUiPort() {
    return masterWebUiPort;
  }

  /** The Master's current status. */
  public MasterStatus status() {
    try {
      return MasterStatus.fetch(masterWebUiPort);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the Master's status at port " + masterWebUiPort, e);
    }
  }

  /** The shape this cluster was started with. */
  public ClusterConfig config() {
    return config;
  }

  /** From the first process start until every Worker was registered. */
  public Duration startupTime() {
    return startupTime;
  }

  /** This cluster's scratch directory (daemon logs, work dirs, local dirs, temp dirs). */
  public Path scratchDir() {
    return scratch;
  }

  /** The Master JVM. */
  public SparkDaemon master() {
    return master;
  }

  /** The Worker JVMs, in start order (index 0 is {@code worker-0}). */
  public List<SparkDaemon> workers() {
    return List.copyOf(workers);
  }

  /** Worker {@code index}'s {@code --work-dir}: one {@code <app id>/<executor id>/} per executor. */
  public Path workDir(int index) {
    return workers.get(index).dir().resolve("work");
  }

  /**
   * The ids of the executors Worker {@code index} has launched for application {@code appId}
   * (live or not), read from its work dir.
   */
  public List<String> executorIdsOf(int index, String appId) {
    Path appDir = workDir(index).resolve(appId);
    if (!Files.isDirectory(appDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(appDir)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + appDir, e);
    }
  }

  /**
   * Waits until an executor that Worker {@code index} launched for {@code appId} has written
   * {@code text} to its stdout ({@code <work dir>/<app id>/<executor id>/stdout}).
   *
   * @return that executor's id
   * @throws IllegalStateException on timeout
   */
  public String awaitExecutorStdout(int index, String appId, String text, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String executorId : executorIdsOf(index, appId)) {
        Path stdout = workDir(index).resolve(appId).resolve(executorId).resolve("stdout");
        if (SparkDaemon.tail(stdout, Integer.MAX_VALUE).contains(text)) {
          return executorId;
        }
      }
      if (System.nanoTime() >= deadline) {
        throw failure("No executor of " + workerName(index) + " for " + appId + " wrote '"
            + text + "' to its stdout within " + timeout);
      }
      sleep();
    }
  }

  /**
   * The running executor JVM of application {@code appId} with id {@code executorId} under
   * Worker {@code index}, matched on its command line ({@code --executor-id}, {@code --app-id}).
   */
  public Optional<ProcessHandle> executor(int index, String appId, String executorId) {
    Pattern id = Pattern.compile(
        "--executor-id " + Pattern.quote(executorId) + "(\\s|$)");
    Pattern app = Pattern.compile(
        "--app-id " + Pattern.quote(appId) + "(\\s|$)");
    return executors(index).stream()
        .filter(p -> id.matcher(ProcessTree.commandLine(p)).find())
        .filter(p -> app.matcher(ProcessTree.commandLine(p)).find())
        .findFirst();
  }

  /** The executor JVMs currently running under Worker {@code index}. */
  public List<ProcessHandle> executors(int index) {
    List<ProcessHandle> found =
        ProcessTree.descendantsMatching(workers.get(index).handle(), ProcessTree.EXECUTOR_MAIN);
    known.addAll(found);
    return found;
  }

  /** The pids of the executor JVMs currently running under Worker {@code index}. */
  public List<Long> executorPids(int index) {
    return executors(index).stream().map(ProcessHandle::pid).toList();
  }

  /** Executor pids per Worker name, for assertions and messages. */
  public Map<String, List<Long>> executorPidsByWorker() {
    Map<String, List<Long>> byWorker = new LinkedHashMap<>();
    for (int i = 0; i < workers.size(); i++) {
      byWorker.put(workers.get(i).name(), executorPids(i));
    }
    return byWorker;
  }

  /**
   * Waits until Worker {@code index} runs at least {@code count} executors.
   *
   * @return those executors
   * @throws IllegalStateException on timeout, naming what each Worker runs
   */
  public List<ProcessHandle> awaitExecutors(int index, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ProcessHandle> found = executors(index);
      if (found.size() >= count) {
        return found;
      }
      if (System.nanoTime() >= deadline) {
        throw failure(workerName(index) + " did not run " + count + " executor(s) within "
            + timeout + "; executors now: " + executorPidsByWorker());
      }
      sleep();
    }
  }

  /**
   * {@code kill -9} of one executor JVM of this cluster; returns once it is gone.
   *
   * @throws IllegalArgumentException if {@code pid} is not an executor under one of this
   *     cluster's Workers (the harness never signals foreign processes)
   */
  public void killExecutor(long pid) {
    for (int i = 0; i < workers.size(); i++) {
      for (ProcessHandle executor : executors(i)) {
        if (executor.pid() == pid) {
          ProcessTree.killNow(executor, KILL_WAIT);
          return;
        }
      }
    }
    throw new IllegalArgumentException("pid " + pid + " is not an executor of this cluster; "
        + "executors now: " + executorPidsByWorker());
  }

  /**
   * {@code kill -9} of Worker {@code index} (its executors lose their Worker and exit by
   * themselves; {@link #close()} stops any that linger). Returns once the Worker is gone.
   */
  public void killWorker(int index) {
    SparkDaemon worker = workers.get(index);
    known.addAll(ProcessTree.withDescendants(worker.handle()));
    killedWorkers.add(worker);
    ProcessTree.killNow(worker.handle(), KILL_WAIT);
  }

  /** Every live process of this cluster: daemons, executors, and orphans of killed Workers. */
  public List<ProcessHandle> liveProcesses() {
    Set<ProcessHandle> all = new LinkedHashSet<>();
    for (SparkDaemon d : daemons()) {
      all.addAll(ProcessTree.withDescendants(d.handle()));
    }
    all.addAll(known);
    known.addAll(all);
    return all.stream().filter(ProcessHandle::isAlive).toList();
  }

  /**
   * A {@link SparkSubmitRunner} for this cluster: {@code --master} is this Master, and its
   * output goes under this cluster's scratch directory.
   */
  public SparkSubmitRunner submit() {
    return SparkSubmitRunner.on(masterUrl()).withScratchRoot(scratch.resolve("submits"));
  }

  /**
   * Stops every process this cluster started and their descendants (SIGTERM, then SIGKILL
   * after a grace period), and deletes the application jar copies in work and local dirs;
   * logs stay. Idempotent.
   *
   * @throws IllegalStateException if a process survived SIGKILL
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is exiting; the hook runs (or ran) this method anyway.
      }
    }
    List<ProcessHandle> survivors = ProcessTree.stopAll(liveProcesses(), STOP_GRACE);
    ScratchDir.deleteJarCopies(scratch);
    if (!survivors.isEmpty()) {
      throw new IllegalStateException("Processes of the test cluster survived SIGKILL: "
          + survivors.stream().map(ProcessHandle::pid).toList());
    }
  }

  /**
   * Closes the cluster and returns the pids of the processes that ran before and are still
   * alive afterwards (empty when the shutdown was complete), for tests to assert on.
   */
  public List<Long> closeAndListSurvivors() {
    List<ProcessHandle> running = liveProcesses();
    close();
    return running.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      System.err.println("gsae test cluster: " + e.getMessage());
    }
  }

  private List<SparkDaemon> daemons() {
    List<SparkDaemon> all = new ArrayList<>();
    if (master != null) {
      all.add(master);
    }
    all.addAll(workers);
    return all;
  }

  private IllegalStateException failure(String what) {
    return SparkDaemon.failure(what, scratch, daemons(), LOG_TAIL_LINES);
  }

  private static String workerName(int index) {
    return ClusterLauncher.workerName(index);
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the test cluster", e);
    }
  }
}
