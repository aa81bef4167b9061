package org.gsae.core.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Daemon thread pools for intra-step parallelism, one per size, created on first use. */
final class Workers {
  private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

  private Workers() {}

  static ExecutorService pool(int threads) {
    return POOLS.computeIfAbsent(threads, t -> Executors.newFixedThreadPool(t, r -> {
      Thread th = new Thread(r, "gsae-step-worker");
      th.setDaemon(true);
      return th;
    }));
  }
}
