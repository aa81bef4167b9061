package org.gsae.core.loss;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import org.gsae.core.error.Errors;

/**
 * Intra-step parallel loops on daemon pools (one per size, created on first use). Work is
 * split into fixed parts by the caller, never by timing, so results cannot depend on which
 * thread finishes first.
 */
final class Parallel {
  private static final Map<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

  private Parallel() {}

  /** Runs {@code part.accept(t)} for t in [0, parts) on {@code parts} threads; waits for all. */
  static void run(int parts, IntConsumer part) {
    if (parts == 1) {
      part.accept(0);
      return;
    }
    ExecutorService pool = POOLS.computeIfAbsent(parts, t -> Executors.newFixedThreadPool(t, r -> {
      Thread th = new Thread(r, "gsae-step-worker");
      th.setDaemon(true);
      return th;
    }));
    List<CompletableFuture<Void>> fs = new ArrayList<>(parts);
    for (int t = 0; t < parts; t++) {
      int id = t;
      fs.add(CompletableFuture.runAsync(() -> part.accept(id), pool));
    }
    for (CompletableFuture<Void> f : fs) {
      try {
        f.join();
      } catch (CompletionException e) {
        throw Errors.unwrap(e);
      }
    }
  }

  /** Start of part {@code t} of {@code parts} equal contiguous parts of [0, total). */
  static int split(int total, int parts, int t) {
    return (int) ((long) total * t / parts);
  }
}
