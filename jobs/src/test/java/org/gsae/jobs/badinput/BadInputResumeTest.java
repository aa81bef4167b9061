package org.gsae.jobs.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-running {@code train} into an output that holds a checkpoint resumes one run: a change of
 * anything that defines the run is refused with every changed key and both values; a change
 * that only extends the run (more steps under a constant learning rate) is allowed and
 * recorded in the model's provenance.
 */
class BadInputResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private String store;
  private Path out;

  @BeforeEach
  void trainTwoSteps() {
    StoreFiles.floats(tmp.resolve("store/a.parquet"), 0, StoreFiles.validRows(0, 40));
    store = tmp.resolve("store").toString();
    out = tmp.resolve("run");
  }

  @Test
  void givenAChangedRecipe_whenResuming_thenRefusedWithEveryChangedKeyAndBothValues() {
    assertEquals(0, Cli.train(store, out, "--set", "analyze.after_train=false").code());
    String msg = Cli.train(store, out, "--set", "analyze.after_train=false", "--set",
        "train.lr=0.01", "--set", "train.seed=7", "--set", "model.variant=saelens",
        "--set", "train.steps=4").failedWith(2);
    assertTrue(msg.startsWith("resuming would change what defines the run: model.variant paper ->"
        + " saelens, train.lr 3.0E-4 -> 0.01, train.seed 42 -> 7"), msg);
    assertTrue(msg.contains("Fix: re-run with the values the checkpoint was written with, or choose"
        + " a new output.path"), msg);
  }

  @Test
  void givenMoreStepsUnderAConstantRate_whenResuming_thenTheRunContinuesAndTheChangeIsRecorded()
      throws Exception {
    assertEquals(0, Cli.train(store, out, "--set", "analyze.after_train=false").code());
    Cli.Result r = Cli.train(store, out, "--set", "analyze.after_train=false", "--set", "train.steps=4");
    assertEquals(0, r.code(), r.stderr());
    assertTrue(r.stdout().contains("resumed at step 2"), r.stdout());
    JsonNode tc = JSON.readTree(out.resolve("model/cfg.json").toFile()).path("gsae").path("train_config");
    assertEquals(4, tc.path("train.steps").asInt());
    JsonNode resume = tc.path("resumes").path(0);
    assertEquals(2, resume.path("at_step").asLong(), tc.toString());
    assertEquals("[2,4]", resume.path("changed").path("train.steps").toString(), tc.toString());
  }

  @Test
  void givenMoreStepsUnderACosineSchedule_whenResuming_thenRefusedBecauseEveryRateWouldChange() {
    assertEquals(0, Cli.train(store, out, "--set", "analyze.after_train=false",
        "--set", "train.lr_schedule=cosine").code());
    String msg = Cli.train(store, out, "--set", "analyze.after_train=false",
        "--set", "train.lr_schedule=cosine", "--set", "train.steps=4").failedWith(2);
    assertTrue(msg.startsWith("resuming would change what defines the run: train.steps 2 -> 4"
        + " (train.steps sets the cosine decay of every step)"), msg);
  }
}
