package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpliceFidelityTest {
  private static final List<String> TEXTS = List.of(
      "The committee adopted the report without a vote.",
      "Mr President, I would like to thank the rapporteur for an excellent piece of work.",
      "Resumption of the session",
      "We must protect the fishing communities of the Atlantic coast.",
      "Yes.");

  @Test
  void identityKeepsEverythingAndZerosNothing() {
    try (SpliceFidelity f = SpliceFidelity.open(Models.files("minilm-l6"), Site.of(3, "resid"), 2)) {
      assertEquals(SpliceFidelity.Measure.EMBEDDING_COSINE, f.measure());
      SpliceFidelity.Result id = f.evaluate(TEXTS, SpliceFidelity.IDENTITY);
      // Same spliced graph, same inputs: the clean run is recomputed bit for bit.
      assertEquals(0.0, id.replaced());
      assertEquals(1.0, id.fidelity());
      assertTrue(id.zeros() > 0.05, "erasing layer 3 changes the embedding: " + id);
      // The spliced graph fed its own site computes what the unedited model computes.
      assertTrue(id.spliceCheck() < 1e-6, "splice check " + id.spliceCheck());
      SpliceFidelity.Result zero = f.evaluate(TEXTS, SpliceFidelity.ZEROS);
      assertEquals(0.0, zero.fidelity());
      assertEquals(id.zeros(), zero.zeros());
      long tokens = id.tokens();
      assertEquals(tokens, zero.tokens());
      assertTrue(tokens > 40 && tokens < 70, "tokens " + tokens);
    }
  }

  @Test
  void aNoisierReplacementKeepsLess() {
    try (SpliceFidelity f = SpliceFidelity.open(Models.files("minilm-l6"), Site.of(3, "resid"), 2)) {
      double small = f.evaluate(TEXTS, noise(0.05f)).fidelity();
      double large = f.evaluate(TEXTS, noise(0.5f)).fidelity();
      assertTrue(small > large && small < 1 && small > 0.5, small + " vs " + large);
    }
  }

  @Test
  void aCausalLmIsMeasuredByTheLossRecovered() {
    List<String> texts = List.of("the cat sat on the mat", "a dog ran", "the dog sat on a cat mat",
        "cat");
    TinyCausalLm lm = new TinyCausalLm(texts);
    try (SpliceFidelity f = SpliceFidelity.open(lm.files(), Site.tensor("h"), 1)) {
      assertEquals(SpliceFidelity.Measure.CROSS_ENTROPY, f.measure());
      assertEquals(TinyCausalLm.D, f.width());
      SpliceFidelity.Result id = f.evaluate(texts, SpliceFidelity.IDENTITY);
      // Against the same model computed by hand in double precision.
      assertEquals(lm.crossEntropy(texts, 1), id.clean(), 1e-5);
      assertEquals(id.clean(), id.replaced());
      assertEquals(1.0, id.fidelity());
      // h = 0 gives logits 0: every next token costs ln V, more than the bigram model's.
      assertEquals(Math.log(TinyCausalLm.V), id.zeros(), 1e-6);
      assertTrue(id.clean() < id.zeros() - 0.5, id.toString());
      assertEquals(0.0, id.spliceCheck(), 1e-6);
      assertEquals(0.0, f.evaluate(texts, SpliceFidelity.ZEROS).fidelity());
      SpliceFidelity.Result half = f.evaluate(texts, (rows, count, width) -> {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
          out[i] = rows[i] * 0.5f;
        }
        return out;
      });
      double clean = lm.crossEntropy(texts, 1);
      double scaled = lm.crossEntropy(texts, 0.5);
      double zero = Math.log(TinyCausalLm.V);
      assertEquals(scaled, half.replaced(), 1e-5);
      assertEquals((zero - scaled) / (zero - clean), half.fidelity(), 1e-4);
      assertEquals(17, id.tokens()); // 6 + 3 + 7 + 1 words
    }
  }

  /** Adds Gaussian noise of {@code scale} times each row's RMS. */
  private static SpliceFidelity.Replacement noise(float scale) {
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
