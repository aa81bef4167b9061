package org.gsae.core.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;

/**
 * Adam (Kingma and Ba 2015, arXiv 1412.6980) with bias correction, in the exact operation
 * order of {@code torch.optim.Adam} (no weight decay, no AMSGrad) so results match PyTorch
 * to rounding:
 *
 * <pre>
 * m = beta1 m + (1 - beta1) g
 * v = beta2 v + (1 - beta2) g^2
 * p = p - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Defaults for SAEs: beta1 = 0, beta2 = 0.999, eps = 1e-8 (Rajamanoharan et al. 2024).
 */
public final class Adam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private SaeParameters m;
  private SaeParameters v;
  private long t;

  /**
   * @param beta1 decay of the first moment, in [0, 1)
   * @param beta2 decay of the second moment, in [0, 1)
   * @param eps   added to the denominator, > 0
   */
  public Adam(double beta1, double beta2, double eps) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)) {
      throw new IllegalArgumentException("Adam needs beta1, beta2 in [0, 1) and eps > 0, got beta1="
          + beta1 + ", beta2=" + beta2 + ", eps=" + eps);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  @Override
  public void step(SaeParameters params, SaeParameters grad, double lr) {
    if (m == null) {
      m = SaeParameters.zeros(params.dIn(), params.dSae(), params.dtype());
      v = SaeParameters.zeros(params.dIn(), params.dSae(), params.dtype());
    }
    t++;
    for (int i = 0; i < 6; i++) {
      apply(params.tensors().get(i), m.tensors().get(i), v.tensors().get(i),
          grad.tensors().get(i), lr, t);
    }
  }

  /**
   * The update of Adam's {@code t}-th step (1-based) on one tensor or a slice of one: {@code
   * param}, {@code m} and {@code v} in place from {@code grad} (all the same shape). Every
   * value is updated on its own, so a tensor cut into slices updates to the same bits.
   */
  public void apply(Tensor param, Tensor m, Tensor v, Tensor grad, double lr, long t) {
    apply(param, m, v, grad, 1, false, lr, t);
  }

  /**
   * As {@link #apply(Tensor, Tensor, Tensor, Tensor, double, long)} with a training step's
   * passes around the update fused in ({@link Tensor#adamInPlace}): {@code grad} scaled by
   * {@code gradScale} first, and with {@code unitRows} each gradient row's component along
   * its parameter row removed before and the parameter rows renormalised after.
   */
  public void apply(Tensor param, Tensor m, Tensor v, Tensor grad, double gradScale,
      boolean unitRows, double lr, long t) {
    double bc1 = 1 - Math.pow(beta1, t);
    double bc2 = 1 - Math.pow(beta2, t);
    Tensor.adamInPlace(param, m, v, grad, gradScale, unitRows, beta1, beta2, lr / bc1,
        1.0 / Math.sqrt(bc2), eps);
  }

  @Override
  public long stepCount() {
    return t;
  }

  @Override
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    if (m == null) {
      return s;
    }
    for (int i = 0; i < 6; i++) {
      s.put("adam.m." + SaeParameters.NAMES.get(i), m.tensors().get(i).toFloatArray());
      s.put("adam.v." + SaeParameters.NAMES.get(i), v.tensors().get(i).toFloatArray());
    }
    return s;
  }

  @Override
  public void restore(Map<String, float[]> state, long stepCount, int dIn, int dSae) {
    this.t = stepCount;
    if (state.isEmpty()) {
      m = null;
      v = null;
      return;
    }
    long[][] shapes = SaeParameters.shapes(dIn, dSae);
    Tensor[] mm = new Tensor[6];
    Tensor[] vv = new Tensor[6];
    for (int i = 0; i < 6; i++) {
      String name = SaeParameters.NAMES.get(i);
      mm[i] = Tensor.of(require(state, "adam.m." + name), shapes[i]);
      vv[i] = Tensor.of(require(state, "adam.v." + name), shapes[i]);
    }
    m = SaeParameters.fromList(List.of(mm));
    v = SaeParameters.fromList(List.of(vv));
  }

  private static float[] require(Map<String, float[]> state, String key) {
    float[] a = state.get(key);
    if (a == null) {
      throw new IllegalArgumentException("optimiser state has no tensor '" + key + "'");
    }
    return a;
  }

  @Override
  public Adam copy() {
    return new Adam(beta1, beta2, eps);
  }

  @Override
  public String toString() {
    return "Adam(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ", steps=" + t + ")";
  }
}
