package org.gsae.core.loss;

import static org.gsae.core.testing.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.gsae.core.model.Encoding;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.optim.Adam;
import org.gsae.core.optim.DecoderConstraint;
import org.gsae.core.optim.GradientClipping;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.testing.ReferenceCase;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the forward pass, every loss term, both gradient variants, the decoder projection
 * and one optimiser step against PyTorch 1.13's results in every {@code vectors_*.json} of
 * the test resources' {@code reference/} folder (its README says how they were made), plus
 * every such file in {@code -Dgsae.reference.dir} when that is set. Each case runs in the
 * file's own precision, within that README's rule: max|diff| <= tol + tol * max|ref| with
 * tol = 1e-6 (f32) or 1e-12 (f64).
 */
class ReferenceVectorsTest {

  @TestFactory
  Stream<DynamicNode> everyReferenceFile() throws Exception {
    List<ReferenceCase> cases = new ArrayList<>(ReferenceCase.in(ReferenceCase.builtInDir()));
    assertEquals(4, cases.size(), "the four committed cases in " + ReferenceCase.builtInDir());
    Optional<Path> extra = ReferenceCase.extraDir();
    if (extra.isPresent()) {
      List<ReferenceCase> more = ReferenceCase.in(extra.get());
      assertFalse(more.isEmpty(), "-Dgsae.reference.dir=" + extra.get().toAbsolutePath()
          + " holds no vectors_*.json: put the extra cases there, or leave the property unset");
      cases.addAll(more);
    }
    return cases.stream().map(c -> DynamicContainer.dynamicContainer(c.toString(), Stream.of(
        dynamicTest("forward and losses", () -> forward(c)),
        dynamicTest("gradients, aux detached (paper)", () -> gradients(c, Variant.PAPER, "detach")),
        dynamicTest("gradients, SAELens", () -> gradients(c, Variant.SAELENS, "saelens")),
        dynamicTest("sparse float32 training path, both variants", () -> sparsePath(c)),
        dynamicTest("decoder-parallel projection", () -> projection(c)),
        dynamicTest("Adam step + renorm, all variants", () -> steps(c)))));
  }

  private static void forward(ReferenceCase c) {
    SaeParameters p = c.parameters("");
    Tensor x = c.tensor("x");
    double tol = c.tolerance();
    Encoding e = GatedEncoder.encode(p, x);
    assertClose("x_c", c.tensor("x_c"), e.xCentered(), tol);
    assertClose("pi_gate", c.tensor("pi_gate"), e.piGate(), tol);
    assertClose("f_gate", c.tensor("f_gate"), e.piGate().positiveMask(), tol);
    assertClose("pi_mag", c.tensor("pi_mag"), e.piMag(), tol);
    assertClose("f_mag", c.tensor("f_mag"), e.piMag().relu(), tol);
    assertClose("f", c.tensor("f"), e.featureActs(), tol);
    assertClose("x_hat", c.tensor("x_hat"), GatedEncoder.decode(p, e.featureActs()), tol);
    assertClose("pi_gate_relu", c.tensor("pi_gate_relu"), e.piGate().relu(), tol);
    assertClose("W_dec_norms", c.tensor("W_dec_norms"), p.wDec().rowNorms(), tol);
    assertClose("x_hat_gate", c.tensor("x_hat_gate"), GatedEncoder.decode(p, e.piGate().relu()), tol);

    double lambda = c.config().get("l1_coefficient").asDouble();
    LossSums s = new GatedLoss(Variant.PAPER, 1.0).evaluate(p, x, lambda).loss();
    assertClose("mse_loss", c.data("mse_loss"), new double[] {s.meanMse()}, tol);
    assertClose("l1_loss", c.data("l1_loss"), new double[] {s.meanL1()}, tol);
    assertClose("aux_loss", c.data("aux_loss"), new double[] {s.meanAux()}, tol);
    assertClose("total_loss", c.data("total_loss"), new double[] {s.meanTotal()}, tol);
  }

  private static SaeParameters meanGradient(ReferenceCase c, Variant v) {
    SaeParameters p = c.parameters("");
    Tensor x = c.tensor("x");
    double lambda = c.config().get("l1_coefficient").asDouble();
    GatedLoss.Result r = new GatedLoss(v, 1.0).evaluate(p, x, lambda);
    double inv = 1.0 / x.rows();
    return r.gradientSum().map(t -> t.scale(inv));
  }

  private static void gradients(ReferenceCase c, Variant v, String key) {
    SaeParameters g = meanGradient(c, v);
    double tol = c.tolerance();
    for (String name : SaeParameters.NAMES) {
      assertClose("grad." + key + "." + name, c.tensor("grad." + key + "." + name), g.get(name), tol);
    }
    assertClose("grad." + key + ".total_norm", c.data("grad." + key + ".total_norm"),
        new double[] {Math.sqrt(g.sumSquares())}, tol);
  }

  /**
   * The production path ({@link GatedLoss#accumulate} forced sparse, chunks of 5 rows so the
   * chunking is exercised) against the reference gradients. In float32 only: the kernel is
   * float32 by design; for a float64 file its float32 result is compared at the float32
   * tolerance of the README.
   */
  private static void sparsePath(ReferenceCase c) {
    SaeParameters p = c.parameters("").cast(org.gsae.core.tensor.DType.FLOAT32);
    float[] x = c.tensor("x").toFloatArray();
    int rows = (int) c.shape("x")[0];
    double lambda = c.config().get("l1_coefficient").asDouble();
    for (String key : List.of("detach", "saelens")) {
      Variant v = key.equals("detach") ? Variant.PAPER : Variant.SAELENS;
      SaeParameters g = SaeParameters.zeros(p.dIn(), p.dSae(), org.gsae.core.tensor.DType.FLOAT32);
      LossSums s = new GatedLoss(v, 1.0, 1.0).accumulate(p, x, rows, 5, lambda, g);
      assertClose(key + " sparse mse_loss", c.data("mse_loss"), new double[] {s.meanMse()}, 1e-6);
      assertClose(key + " sparse aux_loss", c.data("aux_loss"), new double[] {s.meanAux()}, 1e-6);
      assertClose(key + " sparse l1_loss", c.data("l1_loss"), new double[] {s.meanL1()}, 1e-6);
      for (String name : SaeParameters.NAMES) {
        assertClose("sparse grad." + key + "." + name, c.data("grad." + key + "." + name),
            g.get(name).scale(1.0 / rows).toDoubleArray(), 1e-6);
      }
    }
  }

  private static void projection(ReferenceCase c) {
    SaeParameters p = c.parameters("");
    double tol = c.tolerance();
    for (String v : List.of("detach", "saelens")) {
      // From the stored gradient (isolates the projection) and from ours (end to end).
      SaeParameters stored = c.parameters("grad." + v + ".");
      assertClose("grad." + v + "_proj.W_dec (stored grad)", c.tensor("grad." + v + "_proj.W_dec"),
          DecoderConstraint.removeParallelComponent(stored, p.wDec()).wDec(), tol);
      SaeParameters ours = meanGradient(c, v.equals("detach") ? Variant.PAPER : Variant.SAELENS);
      assertClose("grad." + v + "_proj.W_dec (our grad)", c.tensor("grad." + v + "_proj.W_dec"),
          DecoderConstraint.removeParallelComponent(ours, p.wDec()).wDec(), tol);
    }
  }

  /**
   * One Adam step fed with the stored gradients (the README's advice: Adam's first step is
   * ~lr*sign(g) and amplifies round-off where |g| is tiny), then renorm where the variant has it.
   */
  private static void steps(ReferenceCase c) {
    var adamCfg = c.config().get("adam");
    double lr = adamCfg.get("lr").asDouble();
    double tol = c.tolerance();
    Set<Integer> illConditioned = new HashSet<>();
    c.config().get("stats").get("detach_proj_ill_conditioned_W_dec_rows")
        .forEach(n -> illConditioned.add(n.asInt()));
    int dIn = c.config().get("d_in").asInt();
    List<String> checked = new ArrayList<>();
    for (String v : List.of("detach", "detach_proj", "saelens", "saelens_proj", "saelens_v6")) {
      if (!c.has("step." + v + ".W_enc")) {
        continue;
      }
      String base = v.replace("_proj", "").replace("_v6", "");
      SaeParameters grad = c.parameters("grad." + base + ".");
      if (v.endsWith("_proj")) {
        grad = new SaeParameters(grad.wEnc(), grad.bGate(), grad.rMag(), grad.bMag(),
            c.tensor("grad." + v + ".W_dec"), grad.bDec());
      }
      if (v.equals("saelens_v6")) {
        grad = GradientClipping.clip(grad, 1.0).grad();
      }
      SaeParameters params = c.parameters("");
      new Adam(adamCfg.get("beta1").asDouble(), adamCfg.get("beta2").asDouble(),
          adamCfg.get("eps").asDouble()).step(params, grad, lr);
      Set<Integer> skip = v.equals("detach_proj") ? illConditioned : Set.of();
      if (c.has("step." + v + ".W_dec_before_renorm")) {
        assertClose("step." + v + ".W_dec_before_renorm", c.data("step." + v + ".W_dec_before_renorm"),
            params.wDec().toDoubleArray(), tol, dIn, skip);
        DecoderConstraint.renormalizeRows(params);
      }
      for (String name : SaeParameters.NAMES) {
        assertClose("step." + v + "." + name, c.data("step." + v + "." + name),
            params.get(name).toDoubleArray(), tol, name.equals("W_dec") ? dIn : 0,
            name.equals("W_dec") ? skip : Set.of());
      }
      checked.add(v);
    }
    assertFalse(checked.isEmpty(), c.name() + " has no step.* tensors");
  }
}
