package org.gsae.core.io;

import static org.gsae.core.io.IoTestSupport.assertError;
import static org.gsae.core.io.IoTestSupport.bits;
import static org.gsae.core.io.IoTestSupport.editJson;
import static org.gsae.core.io.IoTestSupport.hadoopPath;
import static org.gsae.core.io.IoTestSupport.list;
import static org.gsae.core.io.IoTestSupport.randomParams;
import static org.gsae.core.io.IoTestSupport.rewrite;
import static org.gsae.core.io.IoTestSupport.sampleInfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saving and loading SAELens-format model directories, and what loading rejects. */
class ModelDirectoryTest {
  @TempDir java.nio.file.Path tmp;
  Path dir;
  SaeParameters params;

  @BeforeEach
  void saveOne() {
    dir = new Path(hadoopPath(tmp), "model");
    params = randomParams(5, 12, 42);
    ModelDirectory.save(dir, params, sampleInfo());
  }

  GsaeException loadFails() {
    return assertThrows(GsaeException.class, () -> ModelDirectory.load(dir));
  }

  @Test
  void givenSavedModel_whenLoaded_thenParametersAreBitExactAndInfoUnchanged() {
    LoadedModel m = ModelDirectory.load(dir);
    assertArrayEquals(bits(params.toFlat()), bits(m.params().toFlat()));
    assertEquals(DType.FLOAT32, m.params().dtype());
    assertEquals(5, m.params().dIn());
    assertEquals(12, m.params().dSae());
    assertEquals(sampleInfo(), m.info());
    // Only the two model files: no checksum side files, no temporaries left behind.
    assertArrayEquals(new String[] {"model"}, list(hadoopPath(tmp)));
    assertArrayEquals(new String[] {"cfg.json", "sae_weights.safetensors"}, list(dir));
  }

  @Test
  void givenSavedModel_thenCfgJsonHasTheKeysSaeLensReads() throws Exception {
    JsonNode cfg = IoTestSupport.MAPPER.readTree(IoTestSupport.read(new Path(dir, "cfg.json")));
    assertEquals("gated", cfg.get("architecture").textValue());
    assertEquals(5, cfg.get("d_in").intValue());
    assertEquals(12, cfg.get("d_sae").intValue());
    assertEquals("float32", cfg.get("dtype").textValue());
    assertEquals("cpu", cfg.get("device").textValue());
    assertEquals(true, cfg.get("apply_b_dec_to_input").booleanValue());
    assertEquals("none", cfg.get("normalize_activations").textValue());
    assertEquals("none", cfg.get("reshape_activations").textValue());
    assertEquals("6.0.0", cfg.get("sae_lens_version").textValue());
    assertEquals("blocks.8.hook_resid_pre", cfg.get("metadata").get("hook_name").textValue());
    assertEquals(true, cfg.get("metadata").get("hook_head_index").isNull());
    JsonNode g = cfg.get("gsae");
    assertEquals(-7, g.get("seed").longValue());
    assertEquals(1234, g.get("steps_trained").longValue());
    assertEquals("sha256:abc", g.get("input").get("fingerprint").textValue());
    assertEquals(5_000_000_000L, g.get("train_config").get("steps").longValue());
    assertEquals("2025-10-22T12:34:56.123456789Z", g.get("created_at").textValue());
  }

  @Test
  void givenWeightsFile_thenItHoldsExactlyTheSixSaeLensTensorsAsF32() {
    try (SafeTensorsReader r = SafeTensorsReader.open(new Path(dir, "sae_weights.safetensors"), null)) {
      assertEquals(java.util.Set.copyOf(SaeParameters.NAMES), r.header().entries().keySet());
      long[][] shapes = SaeParameters.shapes(5, 12);
      for (int i = 0; i < 6; i++) {
        TensorEntry e = r.header().entry(SaeParameters.NAMES.get(i));
        assertEquals(SafeTensorsDType.F32, e.dtype());
        assertArrayEquals(shapes[i], e.shape());
      }
      // W_enc row-major [d_in, d_sae]: element (1, 3) is flat index 1*12+3.
      assertEquals(params.wEnc().get(1, 3), r.readFloats("W_enc")[15]);
      assertEquals(params.wDec().get(11, 4), r.readFloats("W_dec")[11 * 5 + 4]);
    }
  }

  @Test
  void givenModelWithoutProvenance_whenRoundTripped_thenProvenanceStaysNull() {
    Path other = new Path(hadoopPath(tmp), "plain");
    ModelDirectory.save(other, params, ModelInfo.empty().withMetadata("model_name", "m"));
    LoadedModel m = ModelDirectory.load(other);
    assertNull(m.info().provenance());
    assertEquals(Map.of("model_name", "m"), m.info().metadata());
  }

  @Test
  void givenWrongArchitecture_thenLoadNamesIt() {
    editJson(new Path(dir, "cfg.json"), c -> c.put("architecture", "standard"));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "cfg.json", "'architecture'", "'standard'",
        "gated");
    editJson(new Path(dir, "cfg.json"), c -> c.remove("architecture"));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'architecture' is missing");
  }

  @Test
  void givenDInThatDisagreesWithTensors_thenExpectedAndFoundShapesAreNamed() {
    editJson(new Path(dir, "cfg.json"), c -> c.put("d_in", 6));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "sae_weights.safetensors", "d_in=6",
        "tensor 'W_enc' is F32 [5, 12], expected F32 [6, 12]",
        "tensor 'W_dec' is F32 [12, 5], expected F32 [12, 6]",
        "tensor 'b_dec' is F32 [5], expected F32 [6]");
  }

  @Test
  void givenMissingExtraOrWrongDtypeTensors_thenEachIsNamed() {
    Path weights = new Path(dir, "sae_weights.safetensors");
    SafeTensorsWriter w = new SafeTensorsWriter();
    for (String n : SaeParameters.NAMES) {
      Tensor t = params.get(n);
      if (n.equals("b_mag")) {
        continue;
      }
      if (n.equals("r_mag")) {
        w.putDoubles(n, t.toDoubleArray(), t.shape());
      } else {
        w.putFloats(n, t.toFloatArray(), t.shape());
      }
    }
    w.putFloats("b_enc", new float[12], 12);
    rewrite(weights, w.toBytes());
    assertError(loadFails(), ErrorCode.INVALID_INPUT,
        "tensor 'b_mag' is missing (expected F32 [12])",
        "tensor 'r_mag' is F64 [12], expected F32 [12]",
        "unexpected tensors [b_enc]");
  }

  @Test
  void givenMissingFiles_thenTheMissingFileIsNamed() throws Exception {
    IoTestSupport.fs(dir).delete(new Path(dir, "sae_weights.safetensors"), false);
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "no sae_weights.safetensors",
        tmp.toString());
    IoTestSupport.fs(dir).delete(new Path(dir, "cfg.json"), false);
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "no cfg.json");
    GsaeException e = assertThrows(GsaeException.class,
        () -> ModelDirectory.load(new Path(hadoopPath(tmp), "nowhere")));
    assertError(e, ErrorCode.IO, "does not exist", "nowhere");
  }

  @Test
  void givenMalformedCfgJson_thenLineAndColumnAreGiven() {
    rewrite(new Path(dir, "cfg.json"), "{\n  \"architecture\": \"gated\",\n  \"d_in\": }".getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "malformed JSON in cfg.json", "line 3");
    rewrite(new Path(dir, "cfg.json"), "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "cfg.json must be a JSON object");
  }

  @Test
  void givenSettingsGsaeCannotHonour_thenTheKeyIsNamed() {
    Path cfg = new Path(dir, "cfg.json");
    editJson(cfg, c -> c.put("d_sae", 0));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'d_sae' must be a positive integer");
    editJson(cfg, c -> c.put("d_sae", 12).put("apply_b_dec_to_input", false));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'apply_b_dec_to_input'");
    editJson(cfg, c -> c.put("apply_b_dec_to_input", true).put("normalize_activations", "layer_norm"));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'normalize_activations'", "'layer_norm'");
    editJson(cfg, c -> c.put("normalize_activations", "none").put("dtype", "bfloat16"));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'dtype'", "'bfloat16'");
    editJson(cfg, c -> c.put("dtype", "float32").put("metadata", 3));
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'metadata' must be an object");
    editJson(cfg, c -> {
      c.putObject("metadata");
      ((com.fasterxml.jackson.databind.node.ObjectNode) c.get("gsae")).put("seed", "x");
    });
    assertError(loadFails(), ErrorCode.INVALID_INPUT, "'gsae.seed'");
  }

  @Test
  void givenAnExistingModel_whenSavedAgain_thenOverwriteDecides() {
    SaeParameters other = randomParams(5, 12, 7);
    GsaeException e = assertThrows(GsaeException.class,
        () -> ModelDirectory.save(dir, other, ModelInfo.empty()));
    assertError(e, ErrorCode.USAGE, "already exists");
    assertArrayEquals(bits(params.toFlat()), bits(ModelDirectory.load(dir).params().toFlat()));

    ModelDirectory.save(dir, other, ModelInfo.empty(), true, null);
    LoadedModel m = ModelDirectory.load(dir);
    assertArrayEquals(bits(other.toFlat()), bits(m.params().toFlat()));
    assertEquals(ModelInfo.empty(), m.info());
    assertArrayEquals(new String[] {"model"}, list(hadoopPath(tmp)));
  }

  @Test
  void givenFloat64Parameters_thenSaveRefusesThem() {
    assertThrows(IllegalArgumentException.class, () -> ModelDirectory.save(
        new Path(hadoopPath(tmp), "f64"), params.cast(DType.FLOAT64), ModelInfo.empty()));
  }

  @Test
  void givenFiringFrequencies_whenSparsityWritten_thenLog10OfFrequencyPlusEpsilonReadsBack() {
    double[] freq = {0.0, 1.0, 0.5, 1e-3, 0.25};
    SparsityFile.write(dir, freq, null);
    float[] got = SparsityFile.read(dir, null);
    // Hand values: log10(1e-10) = -10, log10(1 + 1e-10) ~ 4.3e-11, log10(1/2), -3, log10(1/4).
    float[] want = {-10f, 0f, -0.30103f, -3f, -0.60206f};
    assertArrayEquals(want, got, 1e-5f);
    // Rewriting replaces the file; the model still loads (extra files are ignored).
    SparsityFile.write(dir, new double[] {1, 1}, null);
    assertArrayEquals(new float[] {0f, 0f}, SparsityFile.read(dir, null), 1e-9f);
    assertArrayEquals(new String[] {"cfg.json", "sae_weights.safetensors", "sparsity.safetensors"},
        list(dir));
    ModelDirectory.load(dir);
    assertThrows(IllegalArgumentException.class, () -> SparsityFile.logSparsity(new double[] {1.5}));
    assertThrows(IllegalArgumentException.class,
        () -> SparsityFile.logSparsity(new double[] {Double.NaN}));
  }

  @Test
  void givenNoSparsityFile_thenReadNamesIt() {
    assertError(assertThrows(GsaeException.class, () -> SparsityFile.read(dir, null)),
        ErrorCode.INVALID_INPUT, "no sparsity.safetensors");
  }
}
