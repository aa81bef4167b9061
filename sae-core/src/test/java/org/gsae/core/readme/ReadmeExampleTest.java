package org.gsae.core.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.gsae.core.analysis.ActivatingExample;
import org.gsae.core.analysis.SaeFeatureAnalyzer;
import org.gsae.core.analysis.SparsityReport;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.model.ForwardOutput;
import org.gsae.core.model.GatedSae;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.train.SaeTrainer;
import org.gsae.core.train.TrainHistory;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run, so the documentation cannot rot. */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleRuns() {
    float[][] rows = new float[512][];
    ActivationDataset synthetic = SyntheticActivations.generate(512, 64, 32, 3, 0.02, 1).data();
    for (int i = 0; i < rows.length; i++) {
      rows[i] = synthetic.row(i);
    }
    // --- as in README.md "Java API" ---
    GatedSae sae = new GatedSae(64, 256, 1.2);            // d_in, d_sae, sparsity coefficient
    ActivationDataset data = ActivationDataset.of(rows);  // float[N][64]
    SaeTrainer trainer = new SaeTrainer(sae, 3e-3);        // Adam(beta1=0, beta2=0.999)
    TrainHistory history = trainer.train(data, 10);        // 10 epochs; per-step loss terms, L0, lr, lambda

    ForwardOutput out = sae.forward(Tensor.of(rows));       // reconstruction, featureActs, auxLoss
    Tensor f = sae.encode(Tensor.of(rows));                 // [B, d_sae]
    Tensor xHat = sae.decode(f);                            // [B, d_in]

    SaeFeatureAnalyzer an = new SaeFeatureAnalyzer(sae);
    List<ActivatingExample> top = an.topActivatingExamples(17, data, 10);
    double dead = an.deadFeatureRatio(data);
    SparsityReport report = an.sparsityReport(data);
    var sharpness = an.decoderSharpness();
    // --- end of the README example ---
    assertEquals(2, history.size());   // ceil(10 epochs * 512 rows / 4096 default batch)
    assertEquals(512, out.reconstruction().rows());
    assertEquals(256, f.cols());
    assertEquals(64, xHat.cols());
    assertTrue(top.size() <= 10);
    assertTrue(dead >= 0 && dead <= 1);
    assertTrue(report.l0Mean() >= 0);
    assertTrue(sharpness != null);
  }
}
