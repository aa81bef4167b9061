package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingFidelityTest {
  private static final List<String> TEXTS = List.of(
      "The committee adopted the report without a vote.",
      "Mr President, I would like to thank the rapporteur for an excellent piece of work.",
      "Resumption of the session",
      "We must protect the fishing communities of the Atlantic coast.",
      "Yes.");

  @Test
  void identityKeepsEverythingAndZerosNothing() {
    try (EmbeddingFidelity f = EmbeddingFidelity.open(Models.files("minilm-l6"), Site.of(3, "resid"), 2)) {
      EmbeddingFidelity.Result id = f.evaluate(TEXTS, EmbeddingFidelity.IDENTITY);
      // Same spliced graph, same inputs: the clean run is recomputed bit for bit.
      assertEquals(0.0, id.distance());
      assertEquals(1.0, id.fidelity());
      assertTrue(id.zeroDistance() > 0.05, "erasing layer 3 changes the embedding: " + id);
      // The spliced graph fed its own site computes what the unedited model computes.
      assertTrue(id.spliceDistance() < 1e-6, "splice distance " + id.spliceDistance());
      EmbeddingFidelity.Result zero = f.evaluate(TEXTS, EmbeddingFidelity.ZEROS);
      assertEquals(0.0, zero.fidelity());
      assertEquals(id.zeroDistance(), zero.zeroDistance());
      long tokens = id.tokens();
      assertEquals(tokens, zero.tokens());
      assertTrue(tokens > 40 && tokens < 70, "tokens " + tokens);
    }
  }

  @Test
  void aNoisierReplacementKeepsLess() {
    try (EmbeddingFidelity f = EmbeddingFidelity.open(Models.files("minilm-l6"), Site.of(3, "resid"), 2)) {
      double small = f.evaluate(TEXTS, noise(0.05f)).fidelity();
      double large = f.evaluate(TEXTS, noise(0.5f)).fidelity();
      assertTrue(small > large && small < 1 && small > 0.5, small + " vs " + large);
    }
  }

  /** Adds Gaussian noise of {@code scale} times each row's RMS. */
  private static EmbeddingFidelity.Replacement noise(float scale) {
    return (rows, count, width) -> {
      Random r = new Random(7);
      float[] out = rows.clone();
      for (int i = 0; i < count; i++) {
        double ss = 0;
        for (int j = 0; j < width; j++) {
          ss += rows[i * width + j] * rows[i * width + j];
        }
        double rms = Math.sqrt(ss / width);
        for (int j = 0; j < width; j++) {
          out[i * width + j] += (float) (scale * rms * r.nextGaussian());
        }
      }
      return out;
    };
  }
}
