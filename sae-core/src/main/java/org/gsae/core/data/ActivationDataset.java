package org.gsae.core.data;

import java.util.Arrays;
import org.gsae.core.tensor.Tensor;

/**
 * An in-memory activation matrix [N, n] (row-major float32), the local counterpart of a
 * Parquet activation store. Row {@code i} has row id {@code i}.
 */
public final class ActivationDataset {
  private final float[] data;
  private final int rows;
  private final int dIn;

  /**
   * @param data row-major values, {@code rows * dIn} of them (not copied)
   * @param dIn  n, the width of each row
   */
  public ActivationDataset(float[] data, int dIn) {
    if (dIn < 1 || data.length % dIn != 0) {
      throw new IllegalArgumentException("data length " + data.length + " is not a multiple of d_in=" + dIn);
    }
    this.data = data;
    this.dIn = dIn;
    this.rows = data.length / dIn;
  }

  public static ActivationDataset of(float[][] rows) {
    Tensor t = Tensor.of(rows);
    return new ActivationDataset(t.toFloatArray(), (int) t.cols());
  }

  public int rows() {
    return rows;
  }

  public int dIn() {
    return dIn;
  }

  /** The backing row-major array (not a copy). */
  public float[] data() {
    return data;
  }

  /** Row {@code i} as a copy [n]. */
  public float[] row(int i) {
    return Arrays.copyOfRange(data, i * dIn, (i + 1) * dIn);
  }

  /** Rows {@code [from, to)} as a float32 tensor [to - from, n]. */
  public Tensor slice(int from, int to) {
    if (from < 0 || to > rows || from >= to) {
      throw new IllegalArgumentException("bad row range [" + from + ", " + to + ") of " + rows + " rows");
    }
    return Tensor.of(Arrays.copyOfRange(data, from * dIn, to * dIn), to - from, dIn);
  }

  /** The given rows, in the given order, as a float32 tensor [indices.length, n]. */
  public Tensor gather(long[] indices) {
    float[] out = new float[indices.length * dIn];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(data, Math.toIntExact(indices[k]) * dIn, out, k * dIn, dIn);
    }
    return Tensor.of(out, indices.length, dIn);
  }

  /** Column means [n], accumulated in double. */
  public float[] mean() {
    double[] s = new double[dIn];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < dIn; i++) {
        s[i] += data[r * dIn + i];
      }
    }
    float[] m = new float[dIn];
    for (int i = 0; i < dIn; i++) {
      m[i] = (float) (s[i] / rows);
    }
    return m;
  }
}
