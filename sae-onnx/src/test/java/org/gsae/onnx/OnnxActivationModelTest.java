package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

class OnnxActivationModelTest {
  private static final List<String> TEXTS = List.of(
      "The committee adopted the report without a vote.",
      "Short.",
      "Mr President, I would like to thank the rapporteur for an excellent piece of work on "
          + "fisheries, and for the cooperation of the shadow rapporteurs.",
      "Resumption of the session");

  @Test
  void theLastLayersResidualIsTheModelsOwnOutput() throws Exception {
    // MiniLM-L6 has layers 0..5; the residual stream after layer 5's LayerNorm is the graph's
    // output last_hidden_state. Exposing it through the edit must give what the unedited
    // graph computes.
    ModelFiles files = Models.files("minilm-l6");
    try (OnnxActivationModel cut = Models.open("minilm-l6", Site.of(5, "resid"));
         OrtSession whole = Sessions.create(files.onnx(), 1, "whole")) {
      String text = TEXTS.get(0);
      TokenActivations a = cut.activations(List.of(text)).get(0);
      TextTokenizer.Tokens t = cut.tokenizer().tokenize(text);
      Set<String> inputs = Set.copyOf(OnnxGraph.parse(files.onnx(), "whole").inputNames());
      try (Sessions.Feed feed = Sessions.feed(List.of(t), inputs);
           OrtSession.Result r = whole.run(feed.tensors())) {
        FloatBuffer out = ((OnnxTensor) r.get("last_hidden_state").get()).getFloatBuffer();
        for (int k = 0; k < a.size(); k++) {
          for (int j = 0; j < 384; j++) {
            assertEquals(out.get(a.positions()[k] * 384 + j), a.values()[k * 384 + j], 1e-5f,
                "token " + k + " value " + j);
          }
        }
      }
    }
  }

  @Test
  void specialTokensAreDroppedAndTokensKnowTheirPlace() {
    try (OnnxActivationModel m = Models.open("minilm-l6", Site.of(3, "resid"))) {
      assertEquals(384, m.width());
      assertEquals("minilm-l6 layer 3 resid", m.site());
      TokenActivations a = m.activations(List.of("Hello world, this is a test.")).get(0);
      assertArrayEquals(new String[] {"hello", "world", ",", "this", "is", "a", "test", "."},
          a.tokens());
      assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, a.positions()); // [CLS] is 0
      assertEquals("world", a.text().substring(a.starts()[1], a.ends()[1]).toLowerCase());
      assertEquals("Hello world[[,]] this is", a.context(2, 2));
      assertEquals("[[Hello]] world", a.context(0, 1));
    }
  }

  @Test
  void aTextsActivationsDoNotDependOnItsBatchOrRepetition() {
    try (OnnxActivationModel m = Models.open("minilm-l6-fp32", Site.of(2, "mlp"))) {
      assertEquals(1536, m.width());
      List<TokenActivations> together = m.activations(TEXTS);
      List<TokenActivations> again = m.activations(TEXTS);
      for (int i = 0; i < TEXTS.size(); i++) {
        assertArrayEquals(together.get(i).values(), again.get(i).values(), 0f, "text " + i);
        // Alone, the text is not padded: attention masks padding, so only GEMM blocking differs.
        float[] alone = m.activations(List.of(TEXTS.get(i))).get(0).values();
        assertArrayEquals(alone, together.get(i).values(), 1e-4f, "text " + i);
      }
    }
  }

  @Test
  void batchesAreSortedByLengthAndBounded() {
    try (OnnxActivationModel m = Models.open("minilm-l6", Site.of(0, "resid"))) {
      List<TextTokenizer.Tokens> tokens = new java.util.ArrayList<>();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        tokens.add(m.tokenizer().tokenize(sb.append("word ").toString()));
      }
      java.util.Collections.reverse(tokens);
      List<int[]> batches = OnnxActivationModel.batches(tokens, OnnxActivationModel.BATCH_TOKENS);
      int seen = 0;
      int lastLength = 0;
      for (int[] b : batches) {
        int len = 0;
        for (int i : b) {
          assertTrue(tokens.get(i).length() >= lastLength, "sorted by length");
          len = Math.max(len, tokens.get(i).length());
          lastLength = tokens.get(i).length();
        }
        assertTrue(b.length == 1 || (long) b.length * len <= OnnxActivationModel.BATCH_TOKENS);
        seen += b.length;
      }
      assertEquals(300, seen);
    }
  }

  @Test
  void aMissingLayerOrAForeignFileIsAClearError() {
    GsaeException e = assertThrows(GsaeException.class,
        () -> Models.open("minilm-l6", Site.of(6, "resid")));
    assertTrue(e.getMessage().contains("no node /encoder/layer.6/output/LayerNorm/Add_1 for layer 6 "
        + "resid (it has layers 0..5)"), e.getMessage());
    GsaeException tensor = assertThrows(GsaeException.class,
        () -> Models.open("minilm-l6", Site.tensor("/nowhere")));
    assertTrue(tensor.getMessage().contains("no tensor named /nowhere"), tensor.getMessage());
    GsaeException notOnnx = assertThrows(GsaeException.class,
        () -> OnnxGraph.parse("not a model at all".getBytes(), "x.onnx"));
    assertTrue(notOnnx.getMessage().contains("x.onnx"), notOnnx.getMessage());
  }
}
