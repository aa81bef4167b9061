package org.gsae.spark.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.api.java.JavaSparkContext;
import org.gsae.core.error.Errors;
import org.gsae.core.train.WindowPlan;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.PackedStore;
import org.gsae.spark.store.StoreWindow;
import org.gsae.spark.store.TaskFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's windows as training reads them (docs/architecture.md §6): a window is packed when
 * a step first needs it, the windows of the next {@code prefetch} visits are packed in the
 * background while steps run, and a window no coming visit needs is released. Executors hold
 * the current window, the prefetched ones and, while a step spans two visits, the one before.
 *
 * <p>The first window packed sets the row width ({@code d_in}) unless the model gives it; the
 * others are packed against it, so a row of another width in a later window is an invalid row
 * like any other ({@code input.on_invalid}). A packing failure in the background (an invalid
 * row with {@code input.on_invalid = fail}) is raised at the next step boundary, before any
 * later checkpoint is written.
 *
 * <p>Driver state is O(windows): each packed window's valid-row count.
 */
final class WindowCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WindowCache.class);
  private static final String THREAD = "gsae-window-prefetch";

  private final JavaSparkContext sc;
  private final ActivationStore store;
  private final List<StoreWindow> windows;
  private final PackOptions options;
  private final WindowPlan plan;
  private final int prefetch;
  private final Map<Integer, CompletableFuture<PackedStore>> packing = new HashMap<>();
  private final long[] validRows;
  private final long[] skippedRows;
  private final ExecutorService background;
  /** Spark job group of the background packing, to cancel it on close. */
  private final String group = "gsae-window-prefetch-" + UUID.randomUUID();
  private int dIn;
  private String widthSource;
  private double waitSeconds;
  /** Whether steps run: set by the first {@link #advance}. */
  private boolean stepping;
  private double packSeconds;
  private long peakStorageUsed;
  private long storageMax;
  private long peakDiskUsed;

  /**
   * @param options  how to pack each window (with several windows, a fixed partition count, so
   *                 one step can read two windows partition by partition)
   * @param prefetch windows packed ahead of the one being read, >= 0
   */
  WindowCache(JavaSparkContext sc, ActivationStore store, List<StoreWindow> windows,
      PackOptions options, WindowPlan plan, int prefetch) {
    if (windows.size() != plan.windows()) {
      throw new IllegalArgumentException(windows.size() + " windows, plan for " + plan.windows());
    }
    if (windows.size() > 1 && options.partitions() < 1) {
      throw new IllegalArgumentException("several windows need a fixed partition count");
    }
    this.sc = sc;
    this.store = store;
    this.windows = List.copyOf(windows);
    this.options = options;
    this.plan = plan;
    this.prefetch = prefetch;
    this.validRows = new long[windows.size()];
    this.skippedRows = new long[windows.size()];
    Arrays.fill(validRows, -1);
    this.background = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, THREAD);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The first window with a valid row from visit {@code visit} on, packed; it sets
   * {@code d_in}.
   *
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT when no window has a valid row
   */
  PackedStore first(long visit) {
    for (long v = visit; v < visit + windows.size(); v++) {
      PackedStore p = get(plan.windowAt(v));
      if (p.validRows() > 0) {
        return p;
      }
    }
    throw store.noValidRow();
  }

  /**
   * The packed window {@code w}, packing it now (or waiting for its prefetch) when needed; once
   * steps run ({@link #advance} was called), the time this takes counts as waiting.
   */
  PackedStore get(int w) {
    CompletableFuture<PackedStore> f = packing.get(w);
    if (f != null && f.isDone()) {
      return join(f);
    }
    long t0 = System.nanoTime();
    if (f == null) {
      f = CompletableFuture.completedFuture(pack(w));
      packing.put(w, f);
    }
    PackedStore p = join(f);
    if (stepping) {
      double waited = (System.nanoTime() - t0) / 1e9;
      waitSeconds += waited;
      LOG.info("waited {} s for {} to be packed", String.format("%.2f", waited), describe(w));
    }
    return p;
  }

  /** Valid rows of window {@code w} (packs it when needed). */
  long validRows(int w) {
    return get(w).validRows();
  }

  /** The packed windows of a step's {@link WindowPlan.Batch#windows()}, in the same order. */
  List<PackedStore> packed(int[] ws) {
    PackedStore[] out = new PackedStore[ws.length];
    for (int i = 0; i < ws.length; i++) {
      out[i] = get(ws[i]);
    }
    return List.of(out);
  }

  /**
   * Called between steps with the next step's cursor: raises a failed background packing,
   * releases the windows no step from {@code next} on needs before the ones prefetched, and
   * starts packing the windows of the next {@code prefetch} visits.
   */
  void advance(WindowPlan.Cursor next) {
    stepping = true;
    for (CompletableFuture<PackedStore> f : packing.values()) {
      if (f.isCompletedExceptionally()) {
        join(f);
      }
    }
    Set<Integer> keep = new HashSet<>();
    for (long v = next.visit(); v <= next.visit() + prefetch; v++) {
      keep.add(plan.windowAt(v));
    }
    for (Integer w : Set.copyOf(packing.keySet())) {
      if (!keep.contains(w) && packing.get(w).isDone()) {
        // Blocking: the window's blocks are gone before the next one is cached beside them.
        join(packing.remove(w)).blocks().unpersist(true);
      }
    }
    if (dIn() == 0) {
      return;   // no window packed yet: its width decides the others'
    }
    for (long v = next.visit(); v <= next.visit() + prefetch; v++) {
      int w = plan.windowAt(v);
      if (!packing.containsKey(w)) {
        packing.put(w, CompletableFuture.supplyAsync(() -> pack(w), background));
      }
    }
  }

  /** Windows packed so far whose valid-row counts are known. */
  long knownValidRows() {
    long n = 0;
    for (long v : validRows) {
      n += Math.max(0, v);
    }
    return n;
  }

  /** Invalid rows dropped in the windows packed so far. */
  long knownSkippedRows() {
    long n = 0;
    for (long v : skippedRows) {
      n += v;
    }
    return n;
  }

  /** Seconds the training loop waited for a window to be packed (excluding the first). */
  double waitSeconds() {
    return waitSeconds;
  }

  /** Seconds spent packing windows, in the foreground or background. */
  synchronized double packSeconds() {
    return packSeconds;
  }

  synchronized int dIn() {
    return dIn;
  }

  /**
   * {@code [peak used, max]} executor storage memory and the peak bytes of cached blocks on
   * disk, sampled after each window was packed.
   */
  synchronized long[] storagePeaks() {
    return new long[] {peakStorageUsed, storageMax, peakDiskUsed};
  }

  private PackedStore pack(int w) {
    StoreWindow window = windows.get(w);
    int width;
    String source;
    synchronized (this) {
      width = dIn;
      source = widthSource;
    }
    long t0 = System.nanoTime();
    boolean inBackground = Thread.currentThread().getName().equals(THREAD);
    if (inBackground) {
      sc.setJobGroup(group, "gsae: pack " + describe(w) + " (prefetch)", true);
    } else {
      sc.setJobDescription("gsae: pack " + describe(w));
    }
    if (windows.size() > 1) {
      LOG.info("packing {}{}", describe(w), inBackground ? " in the background" : "");
    }
    PackedStore p;
    try {
      p = TaskFailures.rethrowing(() -> store.pack(options, window, width, source));
    } finally {
      if (inBackground) {
        sc.clearJobGroup();
      } else {
        sc.setJobDescription(null);
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    synchronized (this) {
      packSeconds += secs;
      validRows[w] = p.validRows();
      skippedRows[w] = p.skippedRows();
      if (dIn == 0 && p.validRows() > 0) {
        dIn = p.dIn();
        widthSource = p.widthSource();
      }
    }
    long[] storage = WindowBudget.storage(sc);
    long disk = WindowBudget.diskUsed(sc);
    synchronized (this) {
      storageMax = storage[0];
      peakStorageUsed = Math.max(peakStorageUsed, storage[1]);
      peakDiskUsed = Math.max(peakDiskUsed, disk);
    }
    if (windows.size() > 1) {
      LOG.info("packed {}: {} valid rows{} in {} s; executor storage memory in use {} of {} MB,"
          + " cached blocks on disk {} MB", describe(w), p.validRows(),
          p.skippedRows() > 0 ? " (" + p.skippedRows() + " invalid skipped)" : "",
          String.format("%.1f", secs), storage[1] >> 20, storage[0] >> 20, disk >> 20);
    }
    return p;
  }

  private String describe(int w) {
    return windows.get(w).describe(windows.size(), store.files().files());
  }

  private static PackedStore join(CompletableFuture<PackedStore> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      throw Errors.unwrap(e);
    }
  }

  /** Releases every window; a packing in progress is cancelled. */
  @Override
  public void close() {
    background.shutdown();
    sc.cancelJobGroup(group);
    for (CompletableFuture<PackedStore> f : packing.values()) {
      try {
        f.join().close();
      } catch (CompletionException | CancellationException e) {
        // a failed packing holds no blocks
      }
    }
    packing.clear();
  }
}
