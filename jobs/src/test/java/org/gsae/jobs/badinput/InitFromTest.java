package org.gsae.jobs.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.model.SaeParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model.init_from} and the dictionary width: with no {@code model.d_sae} or
 * {@code model.expansion_factor} the run takes the model's width (neither the default factor
 * 8 nor anything else overrides the model asked for); a width that is set must agree.
 */
class InitFromTest {
  /** Neither 8 x d_in (the default factor) nor the tests' usual 8. */
  private static final int D_SAE = 10;

  @TempDir
  Path tmp;

  private String store;
  private Path model;

  @BeforeEach
  void storeAndModel() {
    StoreFiles.floats(tmp.resolve("store/a.parquet"), 0, StoreFiles.validRows(0, 40));
    store = tmp.resolve("store").toString();
    model = ModelFiles.save(tmp.resolve("model"), StoreFiles.D_IN, D_SAE);
  }

  @Test
  void givenOnlyInitFrom_whenTraining_thenTheRunTakesTheModelsWidthAndWeights() {
    Path out = tmp.resolve("out");
    Cli.Result r = Cli.run("train", "--set", "input.path=" + store, "--set", "output.path=" + out,
        "--set", "model.init_from=" + model, "--set", "train.steps=2", "--set", "train.batch_size=8",
        "--set", "train.lr=1e-9", "--set", "analyze.after_train=false", "--set", "spark.master=local[2]");
    assertEquals(0, r.code(), r.stderr());
    SaeParameters start = ModelDirectory.load(new org.apache.hadoop.fs.Path(model.toUri())).params();
    SaeParameters end = ModelDirectory.load(new org.apache.hadoop.fs.Path(out.resolve("model").toUri()))
        .params();
    assertEquals(D_SAE, end.dSae());
    assertEquals(StoreFiles.D_IN, end.dIn());
    // Two steps at lr 1e-9 move no weight by more than ~2e-9: the run started from the model.
    float[] a = start.wEnc().toFloatArray();
    float[] b = end.wEnc().toFloatArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-6f, "W_enc element " + i);
    }
  }

  @Test
  void givenInitFromAndAnotherExplicitWidth_whenTraining_thenExitTwoSayingHowToTakeTheModelsWidth() {
    String msg = Cli.run("train", "--set", "input.path=" + store, "--set", "output.path=" + tmp.resolve("o2"),
        "--set", "model.init_from=" + model, "--set", "model.expansion_factor=2",
        "--set", "train.steps=2", "--set", "train.batch_size=8", "--set", "spark.master=local[2]")
        .failedWith(2);
    assertTrue(msg.startsWith("model.init_from has d_in=4, d_sae=10 but this run needs d_in=4, d_sae=8"),
        msg);
    assertTrue(msg.contains("leave both unset to take the model's width"), msg);
    Cli.assertNoOutput(tmp.resolve("o2"));
  }
}
