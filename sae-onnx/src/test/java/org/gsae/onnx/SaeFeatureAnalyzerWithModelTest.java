package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.analysis.TextExample;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.GatedSae;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The original API's {@code SAEFeatureAnalyzer(sae, model)}: texts in, contexts out. */
class SaeFeatureAnalyzerWithModelTest {
  private static final List<String> TEXTS = List.of(
      "The committee adopted the report without a vote.",
      "Mr President, I would like to thank the rapporteur.",
      "Resumption of the session",
      "We must protect the fishing communities of the Atlantic coast.",
      "The vote will take place tomorrow at noon.");

  /** One token's brute-force encoding, row by row. */
  private record Brute(int text, int token, float activation) {}

  @Test
  void topExamplesAreTheTokensThatFireTheFeatureMost() {
    GatedSae sae = new GatedSae(384, 64, 1.0);
    try (OnnxActivationModel model = Models.open("minilm-l6", Site.of(3, "resid"))) {
      SaeFeatureAnalyzer analyzer = new SaeFeatureAnalyzer(sae, model);
      List<TokenActivations> acts = model.activations(TEXTS);
      for (int feature : new int[] {0, 17, 63}) {
        List<Brute> all = new ArrayList<>();
        for (int t = 0; t < acts.size(); t++) {
          TokenActivations a = acts.get(t);
          for (int i = 0; i < a.size(); i++) {
            float[] row = java.util.Arrays.copyOfRange(a.values(), i * 384, (i + 1) * 384);
            float f = sae.encode(Tensor.of(row, 1, 384)).toFloatArray()[feature];
            if (f > 0) {
              all.add(new Brute(t, i, f));
            }
          }
        }
        all.sort(Comparator.comparingDouble((Brute b) -> -b.activation()));
        List<TextExample> top = analyzer.topActivatingExamples(feature, TEXTS, 4);
        assertEquals(Math.min(4, all.size()), top.size(), "feature " + feature);
        for (int k = 0; k < top.size(); k++) {
          Brute b = all.get(k);
          TextExample e = top.get(k);
          TokenActivations a = acts.get(b.text());
          assertEquals(b.activation(), e.activation(), 1e-4f, "feature " + feature + " rank " + k);
          assertEquals(b.text(), e.textIndex());
          assertEquals(TEXTS.get(b.text()), e.text());
          assertEquals(a.tokens()[b.token()], e.token());
          assertEquals(a.positions()[b.token()], e.position());
          assertTrue(e.context().contains("[[" + TEXTS.get(b.text()).substring(a.starts()[b.token()],
              a.ends()[b.token()]) + "]]"), e.context());
        }
      }
    }
  }

  @Test
  void theModelMustReadTheSaesWidth() {
    try (OnnxActivationModel mlp = Models.open("minilm-l6", Site.of(3, "mlp"))) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> new SaeFeatureAnalyzer(new GatedSae(384, 64, 1.0), mlp));
      assertTrue(e.getMessage().contains("width 1536 but the SAE expects d_in=384"), e.getMessage());
    }
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> new SaeFeatureAnalyzer(new GatedSae(384, 64, 1.0)).topActivatingExamples(0, TEXTS, 1));
    assertTrue(none.getMessage().contains("no model"), none.getMessage());
  }
}
