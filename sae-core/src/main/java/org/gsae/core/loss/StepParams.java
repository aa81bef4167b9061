package org.gsae.core.loss;

import org.gsae.core.model.SaeParameters;

/**
 * One step's float32 parameters as plain row-major arrays, with the per-feature factors both
 * chunk paths need. The weight matrices are views of the parameters' own arrays (no 2 x n x m
 * copy per step): nothing may write the parameters while a step runs, and nothing here does.
 */
final class StepParams {
  final int n;
  final int m;
  final boolean detachAux;
  final float alpha;
  final float lambda;
  final float[] wEnc;     // [n, m]
  final float[] bGate;    // [m]
  final float[] bMag;     // [m]
  final float[] wDec;     // [m, n]
  final float[] bDec;     // [n]
  final float[] scale;    // exp(r_mag) [m]
  final float[] norms;    // ||W_dec[j]|| [m]
  final float[] lambdaNorms;   // lambda ||W_dec[j]|| [m], float32

  StepParams(SaeParameters p, GatedLoss loss, double lambda) {
    this.n = p.dIn();
    this.m = p.dSae();
    this.detachAux = loss.variant().detachAux();
    this.alpha = (float) loss.auxCoefficient();
    this.lambda = (float) lambda;
    this.wEnc = p.wEnc().floatView();
    this.bGate = p.bGate().toFloatArray();
    this.bMag = p.bMag().toFloatArray();
    this.wDec = p.wDec().floatView();
    this.bDec = p.bDec().toFloatArray();
    this.scale = p.rMag().exp().toFloatArray();
    this.norms = p.wDec().rowNorms().toFloatArray();
    this.lambdaNorms = new float[m];
    for (int j = 0; j < m; j++) {
      lambdaNorms[j] = this.lambda * norms[j];
    }
  }
}
