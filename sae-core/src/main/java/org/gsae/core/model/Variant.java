package org.gsae.core.model;

/**
 * Which gated-SAE training objective and decoder treatment to use.
 *
 * <ul>
 *   <li>{@link #PAPER}: Rajamanoharan et al. 2024 (arXiv 2404.16014), eq. 8: the auxiliary
 *       reconstruction goes through a stop-gradient copy of the decoder ({@code sg(W_dec)},
 *       {@code sg(b_dec)}); decoder rows are kept at unit norm (the gradient component
 *       parallel to each row is removed before the optimiser step, rows are renormalised
 *       after it).
 *   <li>{@link #SAELENS}: SAELens 6.x {@code GatedTrainingSAE}: the auxiliary term is not
 *       detached and the decoder is unconstrained; the L1 term weighs each feature by its
 *       decoder row norm.
 * </ul>
 */
public enum Variant {
  PAPER(true, true),
  SAELENS(false, false);

  private final boolean detachAux;
  private final boolean unitNormDecoder;

  Variant(boolean detachAux, boolean unitNormDecoder) {
    this.detachAux = detachAux;
    this.unitNormDecoder = unitNormDecoder;
  }

  /** Whether the auxiliary loss sends no gradient into {@code W_dec} and {@code b_dec}. */
  public boolean detachAux() {
    return detachAux;
  }

  /** Whether decoder rows are constrained to unit norm during training. */
  public boolean unitNormDecoder() {
    return unitNormDecoder;
  }
}
