package org.gsae.jobs.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in two real JVMs: a {@code train} run owns its {@code output.path} (a second run into
 * it is refused naming the owner), a run stopped by SIGTERM says it was interrupted and what
 * was kept, a run killed with {@code kill -9} leaves a lock that the next run on this host takes
 * over at once (its owner is gone) and resumes, and the lock of an owner on another host stops
 * blocking once its heartbeat is stale.
 */
class ConcurrentRunsTest {
  @TempDir
  Path tmp;

  private String store;

  private String[] longTrain(Path out) {
    return new String[] {"train", "--set", "input.path=" + store, "--set", "output.path=" + out,
        "--set", "train.steps=100000", "--set", "train.batch_size=8", "--set", "model.d_sae=8",
        "--set", "train.checkpoint_every=20", "--set", "analyze.after_train=false",
        "--set", "spark.master=local[1]"};
  }

  private static Path lockOf(Path out) {
    return out.getParent().resolve("." + out.getFileName() + ".gsae-lock");
  }

  /** Waits until the child owns the output and has written a checkpoint newer than {@code after}. */
  private static void awaitCheckpoint(ChildJvm child, Path out, long after) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      try {
        if (Files.exists(lockOf(out)) && lastCheckpointStep(out) > after) {
          return;
        }
      } catch (IOException | NoSuchElementException e) {
        // not there yet
      }
      assertTrue(child.process.isAlive(), () -> "the child ended early: " + child.stderr());
      Thread.sleep(100);
    }
    throw new AssertionError("no new checkpoint after 120 s: " + child.stderr());
  }

  @Test
  void givenARunInProgress_whenASecondRunUsesItsOutput_thenItIsRefusedNamingTheOwner()
      throws Exception {
    StoreFiles.floats(tmp.resolve("store/a.parquet"), 0, StoreFiles.validRows(0, 40));
    store = tmp.resolve("store").toString();
    Path out = tmp.resolve("out");
    ChildJvm first = ChildJvm.start(tmp, List.of(), longTrain(out));
    try {
      awaitCheckpoint(first, out, -1);
      assertTrue(Files.exists(lockOf(out)), "the running train holds " + lockOf(out));
      String msg = Cli.train(store, out).failedWith(2);
      assertTrue(msg.startsWith("output.path is in use by another gsae run (user "), msg);
      assertTrue(msg.contains("pid " + first.process.pid()), msg);
      assertTrue(first.process.isAlive(), "the first run is undisturbed");

      // SIGTERM: the run says it was interrupted and what was kept, in one line.
      first.process.destroy();
      int code = first.waitFor(60);
      assertEquals(143, code, first.stderr());
      List<String> errors = first.errorLines();
      assertEquals(1, errors.size(), first.stderr());
      assertTrue(errors.get(0).startsWith("gsae: error: interrupted: the JVM is shutting down"),
          errors.get(0));
      assertTrue(errors.get(0).contains("checkpoints written so far are kept")
          && errors.get(0).contains("re-run the same command to resume"), errors.get(0));
      assertFalse(first.stderr().contains("\tat "), "no stack trace: " + first.stderr());
      assertFalse(Files.exists(lockOf(out)), "SIGTERM released the lock");
    } finally {
      first.process.destroyForcibly();
    }

    // kill -9: the lock stays behind, but its owner is gone from this host, so the same
    // command takes it over at once and resumes.
    long before = lastCheckpointStep(out);
    ChildJvm second = ChildJvm.start(tmp, List.of(), longTrain(out));
    try {
      awaitCheckpoint(second, out, before);
      second.process.destroyForcibly();
      second.waitFor(60);
    } finally {
      second.process.destroyForcibly();
    }
    assertTrue(Files.exists(lockOf(out)), "kill -9 leaves the lock");
    Cli.Result resumed = Cli.run("train", "--set", "input.path=" + store, "--set",
        "output.path=" + out, "--set", "train.batch_size=8", "--set", "model.d_sae=8",
        "--set", "train.checkpoint_every=20", "--set", "analyze.after_train=false",
        "--set", "spark.master=local[1]", "--set", "train.steps=" + (lastCheckpointStep(out) + 2));
    assertEquals(0, resumed.code(), resumed.stderr());
    assertTrue(resumed.stdout().contains("resumed at step"), resumed.stdout());
    assertFalse(Files.exists(lockOf(out)), "released after the run");

    // An owner on another host cannot be checked: its lock blocks while its heartbeat is
    // fresh, and stops blocking once the heartbeat is older than 60 s.
    Files.writeString(lockOf(out), "{\"user\": \"ann\", \"host\": \"elsewhere.example\","
        + " \"pid\": 4242, \"started_at\": \"2026-12-06T10:00:00Z\"}");
    String msg = Cli.train(store, out).failedWith(2);
    assertTrue(msg.startsWith("output.path is in use by another gsae run (user ann on"
        + " elsewhere.example, pid 4242"), msg);
    assertTrue(msg.contains("expires 60 s after its last heartbeat"), msg);
    Files.setLastModifiedTime(lockOf(out), FileTime.from(Instant.now().minusSeconds(120)));
    Cli.Result again = Cli.run("train", "--set", "input.path=" + store, "--set",
        "output.path=" + out, "--set", "train.batch_size=8", "--set", "model.d_sae=8",
        "--set", "train.checkpoint_every=20", "--set", "analyze.after_train=false",
        "--set", "spark.master=local[1]", "--set", "train.steps=" + (lastCheckpointStep(out) + 2));
    assertEquals(0, again.code(), again.stderr());
  }

  private static long lastCheckpointStep(Path out) throws IOException {
    try (var s = Files.list(out.resolve("checkpoints"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+"))
          .mapToLong(n -> Long.parseLong(n.substring(5))).max().orElseThrow();
    }
  }
}
