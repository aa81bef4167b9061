package org.gsae.tests.cluster;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Shape of a {@link LocalStandaloneCluster}: immutable and validated.
 *
 * @param workers        Worker JVMs, >= 1
 * @param coresPerWorker {@code --cores} of each Worker, >= 1
 * @param workerMemory   {@code --memory} of each Worker (what its executors may use), e.g. {@code 1g}
 * @param daemonHeap     {@code -Xmx} of the Master and Worker JVMs themselves, e.g. {@code 256m}
 * @param startTimeout   how long to wait for the Master and for every Worker to register
 */
public record ClusterConfig(
    int workers, int coresPerWorker, String workerMemory, String daemonHeap, Duration startTimeout) {

  private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*[kmgKMG]");

  /** Validates every component; the message names the component, the value and what is allowed. */
  public ClusterConfig {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (coresPerWorker < 1) {
      throw new IllegalArgumentException("coresPerWorker must be >= 1, got " + coresPerWorker);
    }
    if (workerMemory == null || !MEMORY.matcher(workerMemory).matches()) {
      throw new IllegalArgumentException(
          "workerMemory must look like 512m or 1g, got " + workerMemory);
    }
    if (daemonHeap == null || !MEMORY.matcher(daemonHeap).matches()) {
      throw new IllegalArgumentException(
          "daemonHeap must look like 256m or 1g, got " + daemonHeap);
    }
    if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
    }
  }

  /**
   * Two Workers of one core and 1 GiB each, daemons at {@code -Xmx256m}, 90 s to start (a
   * start takes 10-20 s on a busy 2-core machine).
   */
  public static ClusterConfig defaults() {
    return new ClusterConfig(2, 1, "1g", "256m", Duration.ofSeconds(90));
  }

  /** This config with {@code n} Workers. */
  public ClusterConfig withWorkers(int n) {
    return new ClusterConfig(n, coresPerWorker, workerMemory, daemonHeap, startTimeout);
  }

  /** This config with {@code cores} per Worker. */
  public ClusterConfig withCoresPerWorker(int cores) {
    return new ClusterConfig(workers, cores, workerMemory, daemonHeap, startTimeout);
  }

  /** This config with {@code memory} per Worker, e.g. {@code 2g}. */
  public ClusterConfig withWorkerMemory(String memory) {
    return new ClusterConfig(workers, coresPerWorker, memory, daemonHeap, startTimeout);
  }

  /** This config with a different start timeout. */
  public ClusterConfig withStartTimeout(Duration timeout) {
    return new ClusterConfig(workers, coresPerWorker, workerMemory, daemonHeap, timeout);
  }
}
