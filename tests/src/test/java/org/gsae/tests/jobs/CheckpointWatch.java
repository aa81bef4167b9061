package org.gsae.tests.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.gsae.tests.cluster.RunningSubmit;
import org.gsae.tests.cluster.SubmitResult;

/**
 * Watches the {@code checkpoints/} of a train run while its driver runs. Every poll (each
 * {@value #POLL_MILLIS} ms) records any visible checkpoint directory that lacks one of the four
 * checkpoint files ({@link TrainOutput#incompleteCheckpoints()}): a resume at that moment
 * would find a half-written checkpoint. Also tells when a step's checkpoint appears, which is
 * how the fault tests know training is under way.
 */
final class CheckpointWatch {
  static final long POLL_MILLIS = 50;

  private final TrainOutput out;
  private final List<String> violations = new ArrayList<>();
  private int polls;

  CheckpointWatch(TrainOutput out) {
    this.out = out;
  }

  /**
   * Polls until a checkpoint of step {@code >= step} is visible.
   *
   * @return the newest visible checkpoint step at that moment
   * @throws AssertionError if the driver exits first or {@code timeout} passes
   */
  long awaitCheckpoint(RunningSubmit running, long step, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      poll();
      OptionalLong newest = out.newestCheckpointStep();
      if (newest.isPresent() && newest.getAsLong() >= step) {
        return newest.getAsLong();
      }
      if (!running.isAlive()) {
        throw new AssertionError("the driver exited before checkpoint step " + step + "\n"
            + running.await().describe());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no checkpoint of step >= " + step + " within " + timeout
            + "; checkpoints: " + out.visibleCheckpoints() + "\n" + running.stderrSoFar());
      }
      Pause.millis(POLL_MILLIS);
    }
  }

  /** Polls until the driver exits (or the submit timeout passes), then returns its result. */
  SubmitResult awaitExit(RunningSubmit running) {
    long deadline = System.nanoTime() + ClusterJobs.SUBMIT_TIMEOUT.toNanos();
    while (running.isAlive() && System.nanoTime() < deadline) {
      poll();
      Pause.millis(POLL_MILLIS);
    }
    SubmitResult r = running.await();
    poll();
    return r;
  }

  /** Looks once. */
  void poll() {
    polls++;
    for (String bad : out.incompleteCheckpoints()) {
      violations.add("poll " + polls + ": " + bad);
    }
  }

  /** Every half-written checkpoint seen so far, with the poll that saw it. */
  List<String> violations() {
    return List.copyOf(violations);
  }

  /** How many times it looked. */
  int polls() {
    return polls;
  }
}
