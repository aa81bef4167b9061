package org.gsae.spark.train;

import java.io.PrintStream;
import java.time.Duration;
import org.gsae.core.train.StepMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver-side progress: a log line every {@code logEvery} steps (step, loss terms, L0,
 * learning rate, lambda, tokens/s over the last interval, ETA) and, when stderr is a
 * terminal, a one-line progress bar redrawn in place.
 */
final class ProgressReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final long totalSteps;
  private final long logEvery;
  private final PrintStream bar;   // null when not attached to a terminal
  private long windowStartNanos = System.nanoTime();
  private long windowRows;

  ProgressReporter(long totalSteps, long logEvery, boolean terminal) {
    this.totalSteps = totalSteps;
    this.logEvery = logEvery;
    this.bar = terminal ? System.err : null;
  }

  void onStep(StepMetrics m) {
    windowRows += m.rows();
    boolean log = m.step() % logEvery == 0 || m.step() == totalSteps;
    if (!log && bar == null) {
      return;
    }
    double secs = (System.nanoTime() - windowStartNanos) / 1e9;
    double tps = secs > 0 ? windowRows / secs : 0;
    double stepsPerSec = tps / Math.max(1, m.rows());
    long left = totalSteps - m.step();
    String eta = stepsPerSec > 0 ? format(Duration.ofSeconds((long) (left / stepsPerSec))) : "?";
    String line = String.format("step %d/%d loss=%.5g mse=%.5g l1=%.5g aux=%.5g L0=%.2f lr=%.3g "
        + "lambda=%.3g tok/s=%.0f eta=%s", m.step(), totalSteps, m.total(), m.mse(), m.l1(), m.aux(),
        m.l0(), m.lr(), m.lambda(), tps, eta);
    if (bar != null) {
      int width = 30;
      int done = (int) (width * m.step() / Math.max(1, totalSteps));
      bar.print("\r[" + "#".repeat(done) + " ".repeat(width - done) + "] " + line + "   ");
      if (m.step() == totalSteps) {
        bar.println();
      }
      bar.flush();
    }
    if (log) {
      LOG.info(line);
      windowStartNanos = System.nanoTime();
      windowRows = 0;
    }
  }

  private static String format(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
