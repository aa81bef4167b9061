package org.gsae.core.loss;

import java.util.Arrays;

/**
 * Active (row, feature) pairs of a chunk as parallel arrays, with what the sparse step knows
 * about each: the encoder pre-activation {@code pi}, {@code g = relu(pi_gate)}, {@code f}, and
 * the pre-activation gradients {@code dm = dL/dpi_mag}, {@code dg = dL/dpi_gate}. Grows by
 * doubling and is reused from chunk to chunk and (pooled) from step to step.
 */
final class PairList {
  int[] feature;
  int[] row;
  float[] pi;
  float[] g;
  float[] f;
  float[] dm;
  float[] dg;
  int size;

  PairList(int capacity) {
    allocate(capacity);
  }

  private void allocate(int cap) {
    feature = new int[cap];
    row = new int[cap];
    pi = new float[cap];
    g = new float[cap];
    f = new float[cap];
    dm = new float[cap];
    dg = new float[cap];
  }

  /** Appends a pair whose gradients are filled in later; returns its index. */
  int add(int j, int b, float piValue, float gValue, float fValue) {
    if (size == feature.length) {
      grow(size * 2);
    }
    feature[size] = j;
    row[size] = b;
    pi[size] = piValue;
    g[size] = gValue;
    f[size] = fValue;
    return size++;
  }

  /** Replaces the contents with the concatenation of the first {@code parts} lists. */
  void concat(PairList[] lists, int parts) {
    int total = 0;
    for (int t = 0; t < parts; t++) {
      total += lists[t].size;
    }
    if (feature.length < total) {
      allocate(Math.max(total, feature.length * 2));
    }
    int at = 0;
    for (int t = 0; t < parts; t++) {
      PairList l = lists[t];
      System.arraycopy(l.feature, 0, feature, at, l.size);
      System.arraycopy(l.row, 0, row, at, l.size);
      System.arraycopy(l.pi, 0, pi, at, l.size);
      System.arraycopy(l.g, 0, g, at, l.size);
      System.arraycopy(l.f, 0, f, at, l.size);
      System.arraycopy(l.dm, 0, dm, at, l.size);
      System.arraycopy(l.dg, 0, dg, at, l.size);
      at += l.size;
    }
    size = total;
  }

  private void grow(int cap) {
    feature = Arrays.copyOf(feature, cap);
    row = Arrays.copyOf(row, cap);
    pi = Arrays.copyOf(pi, cap);
    g = Arrays.copyOf(g, cap);
    f = Arrays.copyOf(f, cap);
    dm = Arrays.copyOf(dm, cap);
    dg = Arrays.copyOf(dg, cap);
  }
}
