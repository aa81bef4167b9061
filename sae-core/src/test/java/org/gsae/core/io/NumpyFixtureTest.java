package org.gsae.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URL;
import org.apache.hadoop.fs.Path;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Loads a model directory written by an independent NumPy script
 * ({@code fixtures/numpy_model/make_fixture.py}, from the PyTorch reference vectors, case A)
 * and checks that the loaded SAE reproduces the reference feature activations and
 * reconstruction within the float32 tolerance of the reference README.
 */
class NumpyFixtureTest {

  static Path fixtureDir() throws Exception {
    URL cfg = NumpyFixtureTest.class.getResource("/fixtures/numpy_model/cfg.json");
    return new Path(cfg.toURI()).getParent();
  }

  static Tensor tensor(JsonNode t) {
    JsonNode shape = t.get("shape");
    JsonNode data = t.get("data");
    float[] v = new float[data.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) data.get(i).doubleValue();
    }
    return Tensor.of(v, shape.get(0).longValue(), shape.get(1).longValue());
  }

  static void assertClose(Tensor ref, Tensor got, String what) {
    assertArrayEquals(ref.shape(), got.shape(), what);
    double maxRef = ref.maxAbs();
    double tol = 1e-6 + 1e-6 * maxRef;
    double maxDiff = got.sub(ref).maxAbs();
    assertTrue(maxDiff <= tol, what + ": max|diff| " + maxDiff + " > tolerance " + tol);
  }

  @Test
  void givenNumpyWrittenDirectory_whenLoaded_thenEncodeAndDecodeMatchTheReference() throws Exception {
    LoadedModel m = ModelDirectory.load(fixtureDir());
    assertEquals(8, m.params().dIn());
    assertEquals(32, m.params().dSae());
    assertEquals("reference-case-A", m.info().metadata().get("model_name"));
    assertNull(m.info().provenance());

    JsonNode expected;
    try (InputStream in = NumpyFixtureTest.class.getResourceAsStream(
        "/fixtures/numpy_model/expected.json")) {
      expected = IoTestSupport.MAPPER.readTree(in).get("tensors");
    }
    Tensor x = tensor(expected.get("x"));
    Tensor f = GatedEncoder.encode(m.params(), x).featureActs();
    assertClose(tensor(expected.get("f")), f, "feature acts f");
    assertClose(tensor(expected.get("x_hat")), GatedEncoder.decode(m.params(), f), "x_hat");
    // The engineered features: 0 never fires, 2 is gated open but has magnitude <= 0.
    for (int b = 0; b < x.rows(); b++) {
      assertEquals(0.0, f.get(b, 0));
      assertEquals(0.0, f.get(b, 2));
    }
  }
}
