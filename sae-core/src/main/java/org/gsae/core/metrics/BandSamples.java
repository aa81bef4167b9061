package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.error.Errors;

/**
 * Mergeable per-feature samples of active rows from each activation band (docs/architecture.md
 * §7): the examples "from across the activation distribution" that feature dashboards show
 * beside the top-activating ones. A band is {@value #BINS_PER_BAND} consecutive bins of
 * {@link ActivationHistograms} (a quarter of a decade), so the report can say which quantiles of the
 * feature's active rows a band covers.
 *
 * <p>For each (feature, band) the kept rows are the {@code k} with the smallest
 * {@link #hash(long)} of their row id (ties by the smaller id): a uniform pseudo-random sample
 * that depends only on the set of rows, never on blocking, partitioning or merge order, as long
 * as each row id is added once. Memory: {@code 12 * k * BANDS * d_sae} bytes plus
 * {@code 4 * BANDS * d_sae}.
 */
public final class BandSamples implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "BandSamples";

  /** Histogram bins per band. */
  public static final int BINS_PER_BAND = 2;
  /** Number of bands. */
  public static final int BANDS = ActivationHistograms.BINS / BINS_PER_BAND;
  /** Rows kept per (feature, band) unless told otherwise. */
  public static final int DEFAULT_K = 3;

  /**
   * One kept row.
   *
   * @param rowId      the row's id as given to {@link #add}
   * @param activation the feature's activation on that row ({@code > 0})
   */
  public record Example(long rowId, float activation) {}

  private final int dSae;
  private final int k;
  /** Slot (j, b) occupies {@code [(j BANDS + b) k, ... + size)}, sorted by ascending key. */
  private final long[] rowIds;
  private final float[] acts;
  private final int[] size;

  /**
   * Empty samples for {@code dSae} (m) features, {@code k} rows per band.
   *
   * @throws IllegalArgumentException when m or k is below 1 or the slots exceed an array
   */
  public BandSamples(int dSae, int k) {
    Checks.positive(TYPE, "d_sae", dSae);
    Checks.positive(TYPE, "k", k);
    int slots = Checks.cells(TYPE, dSae, BANDS);
    this.dSae = dSae;
    this.k = k;
    this.rowIds = new long[Checks.cells(TYPE, slots, k)];
    this.acts = new float[rowIds.length];
    this.size = new int[slots];
  }

  /** The band of an active value: {@code ActivationHistograms.bin(a) / BINS_PER_BAND}. */
  public static int band(float a) {
    return ActivationHistograms.bin(a) / BINS_PER_BAND;
  }

  /**
   * The sampling key of a row id: SplitMix64's finalizer (Steele, Lea and Flood 2014), a
   * bijection of the 64-bit ids that scatters consecutive ids; compared unsigned.
   */
  public static long hash(long rowId) {
    long z = rowId + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** True when row id {@code a} comes before {@code b} in the sampling order. */
  private static boolean before(long a, long b) {
    int c = Long.compareUnsigned(hash(a), hash(b));
    return c < 0 || (c == 0 && a < b);
  }

  /**
   * Offers every active entry of a block.
   *
   * @param featureActs feature activations [rows, m] row-major
   * @param ids         the id of each row [rows]; unique across the data set
   * @param rows        number of rows in the block
   * @return this
   */
  public BandSamples add(float[] featureActs, long[] ids, int rows) {
    Checks.block(TYPE, "featureActs", featureActs.length, rows, dSae, "d_sae");
    Checks.block(TYPE, "rowIds", ids.length, rows, 1, "width");
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      for (int j = 0; j < dSae; j++) {
        float a = featureActs[off + j];
        if (a > 0) {
          offer(j * BANDS + band(a), ids[r], a);
        }
      }
    }
    return this;
  }

  /** Offers one active entry whose band is already known ({@link #band} of {@code a}). */
  void offer(int feature, int band, long rowId, float a) {
    offer(feature * BANDS + band, rowId, a);
  }

  /**
   * Adds another partial aggregate into this one (the other is not changed).
   *
   * @return this
   */
  public BandSamples merge(BandSamples other) {
    Checks.sameDim(TYPE, "d_sae", dSae, other.dSae);
    Checks.sameDim(TYPE, "k", k, other.k);
    BandSamples src = other == this ? copy() : other;
    for (int slot = 0; slot < size.length; slot++) {
      int base = slot * k;
      for (int t = 0; t < src.size[slot]; t++) {
        offer(slot, src.rowIds[base + t], src.acts[base + t]);
      }
    }
    return this;
  }

  private BandSamples copy() {
    BandSamples c = new BandSamples(dSae, k);
    System.arraycopy(rowIds, 0, c.rowIds, 0, rowIds.length);
    System.arraycopy(acts, 0, c.acts, 0, acts.length);
    System.arraycopy(size, 0, c.size, 0, size.length);
    return c;
  }

  /** Inserts (id, a) into the sorted slot when it is among the k first; keeps the slot sorted. */
  private void offer(int slot, long id, float a) {
    int base = slot * k;
    int s = size[slot];
    if (s == k && !before(id, rowIds[base + s - 1])) {
      return;
    }
    int i = s == k ? s - 1 : s;
    while (i > 0 && before(id, rowIds[base + i - 1])) {
      rowIds[base + i] = rowIds[base + i - 1];
      acts[base + i] = acts[base + i - 1];
      i--;
    }
    rowIds[base + i] = id;
    acts[base + i] = a;
    if (s < k) {
      size[slot] = s + 1;
    }
  }

  /** m = {@code d_sae}. */
  public int dSae() {
    return dSae;
  }

  /** Rows kept per (feature, band) at most. */
  public int k() {
    return k;
  }

  /**
   * The kept rows of one feature and band, in sampling order.
   *
   * @param band 0..{@value #BANDS}-1; band b holds activations in
   *             {@code [edges[2b], edges[2b + 2])} of {@link ActivationHistograms#binEdges()}
   */
  public List<Example> examples(int feature, int band) {
    Errors.check(feature >= 0 && feature < dSae,
        "feature index %d is out of range 0..%d (d_sae=%d)", feature, dSae - 1, dSae);
    Errors.check(band >= 0 && band < BANDS, "band %d is out of range 0..%d", band, BANDS - 1);
    int slot = feature * BANDS + band;
    List<Example> out = new ArrayList<>(size[slot]);
    for (int t = 0; t < size[slot]; t++) {
      out.add(new Example(rowIds[slot * k + t], acts[slot * k + t]));
    }
    return List.copyOf(out);
  }

  /** Total kept rows over all features and bands. */
  public long count() {
    long n = 0;
    for (int s : size) {
      n += s;
    }
    return n;
  }

  @Override
  public String toString() {
    return TYPE + "(d_sae=" + dSae + ", k=" + k + ", bands=" + BANDS + ")";
  }
}
