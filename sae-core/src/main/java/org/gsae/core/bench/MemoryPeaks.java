package org.gsae.core.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.gsae.core.tensor.Backend;

/** Samples heap use and the process's resident set size in the background and keeps the peaks. */
final class MemoryPeaks implements AutoCloseable {
  private final Thread sampler;
  private volatile boolean running = true;
  private volatile long peakNative;

  MemoryPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    peakNative = Backend.physicalBytes();
    sampler = new Thread(() -> {
      while (running) {
        peakNative = Math.max(peakNative, Backend.physicalBytes());
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gsae-memory-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** Sum over heap pools of their peak usage since construction. */
  long peakHeap() {
    long s = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        s += p.getPeakUsage().getUsed();
      }
    }
    return s;
  }

  /** Peak resident set size (heap + native buffers + code) of the process. */
  long peakNative() {
    return peakNative;
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
