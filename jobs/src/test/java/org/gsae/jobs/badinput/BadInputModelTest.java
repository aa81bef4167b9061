package org.gsae.jobs.badinput;

import static org.gsae.jobs.badinput.Cli.assertNoOutput;
import static org.gsae.jobs.badinput.ModelFiles.cfg;
import static org.gsae.jobs.badinput.ModelFiles.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad model directory given to {@code sae train --set model.init_from=DIR} (the loader that
 * analyze and encode use too): one stderr line naming the file, tensor or key and how to fix
 * it, the exit code of the failure kind, and no output directory.
 */
class BadInputModelTest {
  private static final int D_SAE = 8;

  @TempDir
  Path tmp;

  private String store;
  private Path model;

  @BeforeEach
  void goodStoreAndModel() {
    StoreFiles.floats(tmp.resolve("store/a.parquet"), 0, StoreFiles.validRows(0, 40));
    store = tmp.resolve("store").toString();
    model = ModelFiles.save(tmp.resolve("model"), StoreFiles.D_IN, D_SAE);
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private Cli.Result trainFrom(Path modelDir) {
    return Cli.train(store, out(), "--set", "model.init_from=" + modelDir);
  }

  /** Trains from {@link #model}, expects exit {@code code} and no output; returns the message. */
  private String fails(int code) {
    String msg = trainFrom(model).failedWith(code);
    assertNoOutput(out());
    assertTrue(msg.contains(". Fix: "), () -> "says how to fix it: " + msg);
    return msg;
  }

  private String failsWithInvalidInput() {
    String msg = fails(3);
    assertTrue(msg.contains("/model/"), () -> "names the file: " + msg);
    return msg;
  }

  @Test
  void givenTheUndamagedModel_whenTrainingFromIt_thenExitZero() {
    // The control for every other case here: the same store, model and settings succeed.
    Cli.Result r = trainFrom(model);
    assertEquals(0, r.code(), r.stderr());
    assertEquals("", r.stderr());
    assertTrue(Files.isRegularFile(weights(out().resolve("model"))), r.stdout());
  }

  @Test
  void givenNoWeightsFile_whenTraining_thenExitThreeNamingTheMissingFile() throws IOException {
    Files.delete(weights(model));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("model directory has no sae_weights.safetensors (at file:"
        + model + "/sae_weights.safetensors)"), msg);
  }

  @Test
  void givenNoCfgJson_whenTraining_thenExitThreeNamingTheMissingFile() throws IOException {
    Files.delete(cfg(model));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("model directory has no cfg.json (at file:" + model + "/cfg.json)"), msg);
  }

  /**
   * The model loader answers a directory that does not exist with IO (4): it asks the file
   * system for the directory, and "not found" there is a storage answer (the same as a
   * permission error), unlike a directory that exists but lacks a file (3).
   */
  @Test
  void givenNoModelDirectory_whenTraining_thenExitFourSayingItDoesNotExist() {
    model = tmp.resolve("no-such-model");
    String msg = fails(4);
    assertTrue(msg.startsWith("I/O failure while opening the model directory (it does not exist)"), msg);
    assertTrue(msg.contains("(at file:" + model + ")"), msg);
  }

  @Test
  void givenAnotherArchitecture_whenTraining_thenExitThreeNamingTheKey() {
    ModelFiles.editCfg(model, "architecture", "\"standard\"");
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("cfg.json key 'architecture' is 'standard', gsae reads only 'gated' SAEs"
        + " (at file:" + model + "/cfg.json)"), msg);
  }

  @Test
  void givenCfgJsonShapesThatDisagreeWithTheWeights_whenTraining_thenExitThreeNamingEachTensor() {
    ModelFiles.editCfg(model, "d_sae", "9");
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("sae_weights.safetensors does not match cfg.json (d_in=4, d_sae=9): "
        + "tensor 'W_enc' is F32 [4, 8], expected F32 [4, 9]; tensor 'b_gate' is F32 [8], expected"
        + " F32 [9];"), msg);
    assertTrue(msg.contains("tensor 'W_dec' is F32 [8, 4], expected F32 [9, 4]"), msg);
  }

  /**
   * A valid model for another input width: exit 2, because model.init_from (the config) is
   * what has to change; the store and the model are each valid.
   */
  @Test
  void givenAModelOfAnotherDIn_whenTraining_thenExitTwoNamingBothWidths() throws IOException {
    deleteTree(model);
    ModelFiles.save(model, StoreFiles.D_IN + 2, D_SAE);
    String msg = fails(2);
    assertTrue(msg.startsWith("model.init_from has d_in=6, d_sae=8 but this run needs d_in=4, d_sae=8"
        + " (at " + model + ")"), msg);
    assertTrue(msg.contains("activations of width d_in=4"), msg);
  }

  @Test
  void givenATruncatedWeightsFile_whenTraining_thenExitThreeSayingTheDataIsCutShort()
      throws IOException {
    byte[] file = Files.readAllBytes(weights(model));
    long headerEnd = 8 + ModelFiles.headerLength(file);
    Files.write(weights(model), Arrays.copyOf(file, (int) headerEnd + 40));
    String msg = failsWithInvalidInput();
    assertTrue(msg.contains("beyond the data buffer of 40 bytes (file truncated?) (at file:"
        + model + "/sae_weights.safetensors)"), msg);
    assertTrue(msg.matches("tensor '\\w+' has data_offsets \\[\\d+, \\d+\\] beyond.*"), msg);
  }

  @Test
  void givenAHeaderLengthLargerThanTheFile_whenTraining_thenExitThreeNamingBothLengths()
      throws IOException {
    byte[] file = Files.readAllBytes(weights(model));
    Files.write(weights(model), ModelFiles.withHeaderLength(file, file.length));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("header length " + file.length + " bytes is larger than the "
        + (file.length - 8) + " bytes that follow the length field"), msg);
  }

  @Test
  void givenOverlappingTensorOffsets_whenTraining_thenExitThreeNamingBothTensors() {
    ModelFiles.editHeader(model, h -> {
      long begin = ModelFiles.offsetsOf(h, "W_enc")[0];
      ModelFiles.offsets(h, "b_gate", begin, begin + 4L * D_SAE);
    });
    String msg = failsWithInvalidInput();
    assertTrue(msg.contains("'W_enc'") && msg.contains("'b_gate'")
        && msg.contains("overlap in the data buffer"), msg);
  }

  @Test
  void givenTensorOffsetsOutOfRange_whenTraining_thenExitThreeNamingTheTensor() throws IOException {
    byte[] file = Files.readAllBytes(weights(model));
    long buffer = file.length - 8 - ModelFiles.headerLength(file);
    ModelFiles.editHeader(model, h -> ModelFiles.offsets(h, "b_dec", buffer, buffer + 4L * StoreFiles.D_IN));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("tensor 'b_dec' has data_offsets [" + buffer + ", "
        + (buffer + 16) + "] beyond the data buffer of " + buffer + " bytes"), msg);
  }

  @Test
  void givenAnUnknownDtype_whenTraining_thenExitThreeNamingTheDtypeAndTensor() {
    ModelFiles.editHeader(model, h -> ModelFiles.entry(h, "r_mag").put("dtype", "F33"));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("tensor 'r_mag' has unknown dtype 'F33' (known: ["), msg);
  }

  @Test
  void givenMalformedCfgJson_whenTraining_thenExitThreeGivingLineAndColumn() throws IOException {
    Files.write(cfg(model), "{\n  \"architecture\": \"gated\",\n  \"d_in\": 4,\n  \"d_sae\" 8\n}\n"
        .getBytes(StandardCharsets.UTF_8));
    String msg = failsWithInvalidInput();
    assertTrue(msg.startsWith("malformed JSON in cfg.json: "), msg);
    assertTrue(msg.contains("(at file:" + model + "/cfg.json (cfg.json line 4, column "), msg);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
