package org.gsae.core.metrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gsae.core.error.Errors;

/**
 * Mergeable per-feature top-k activating rows (docs/architecture.md §7): for each of the m
 * features, the k (activation, rowId) pairs with the largest activation among rows where the
 * feature is active (activation {@code > 0}).
 *
 * <p>Pairs are ranked by a strict total order: larger activation first, then the smaller rowId
 * first. So, as long as each rowId is added once, the kept set is the top k of the whole data
 * set under that order, independent of blocking, block order and merge order.
 *
 * <p>Memory is O(m k): per feature a bounded min-heap stored in primitive arrays
 * ({@code float[m k]} activations, {@code long[m k]} row ids), whose root is the weakest kept
 * pair, so a candidate weaker than the root is rejected after one comparison.
 */
public final class TopKExamples implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String TYPE = "TopKExamples";

  /**
   * One kept row of a feature.
   *
   * @param rowId      the row's id as given to {@link #add}
   * @param activation the feature's activation on that row ({@code > 0})
   */
  public record Example(long rowId, float activation) {}

  private final int dSae;
  private final int k;
  /** Heap of feature j occupies {@code [j k, j k + size[j])}. */
  private final float[] heapActs;
  private final long[] heapRowIds;
  private final int[] size;

  /**
   * Empty lists for {@code dSae} (m) features, keeping {@code k} rows each.
   *
   * @throws IllegalArgumentException when m or k is below 1 or {@code m * k} exceeds an array
   */
  public TopKExamples(int dSae, int k) {
    Checks.positive(TYPE, "d_sae", dSae);
    Checks.positive(TYPE, "k", k);
    int cells = Checks.cells(TYPE, dSae, k);
    this.dSae = dSae;
    this.k = k;
    this.heapActs = new float[cells];
    this.heapRowIds = new long[cells];
    this.size = new int[dSae];
  }

  /**
   * Offers every active entry of a block.
   *
   * @param featureActs feature activations [rows, m] row-major (first {@code rows * m} read)
   * @param rowIds      the id of each row [rows]; ids must be unique across the data set
   * @param rows        number of rows in the block
   * @return this
   */
  public TopKExamples add(float[] featureActs, long[] rowIds, int rows) {
    Checks.block(TYPE, "featureActs", featureActs.length, rows, dSae, "d_sae");
    Checks.block(TYPE, "rowIds", rowIds.length, rows, 1, "width");
    for (int r = 0; r < rows; r++) {
      int off = r * dSae;
      long rowId = rowIds[r];
      for (int j = 0; j < dSae; j++) {
        float a = featureActs[off + j];
        if (a > 0) {
          offer(j, a, rowId);
        }
      }
    }
    return this;
  }

  /**
   * Adds another partial aggregate into this one (the other is not changed).
   *
   * @throws IllegalArgumentException when the two differ in {@code d_sae} or {@code k}
   * @return this
   */
  public TopKExamples merge(TopKExamples other) {
    Checks.sameDim(TYPE, "d_sae", dSae, other.dSae);
    Checks.sameDim(TYPE, "k", k, other.k);
    // Offering from our own heaps while they change would skip or repeat entries.
    TopKExamples src = other == this ? copy() : other;
    for (int j = 0; j < dSae; j++) {
      int base = j * k;
      for (int t = 0; t < src.size[j]; t++) {
        offer(j, src.heapActs[base + t], src.heapRowIds[base + t]);
      }
    }
    return this;
  }

  private TopKExamples copy() {
    TopKExamples c = new TopKExamples(dSae, k);
    System.arraycopy(heapActs, 0, c.heapActs, 0, heapActs.length);
    System.arraycopy(heapRowIds, 0, c.heapRowIds, 0, heapRowIds.length);
    System.arraycopy(size, 0, c.size, 0, dSae);
    return c;
  }

  /** True when (a1, id1) ranks below (a2, id2). */
  private static boolean weaker(float a1, long id1, float a2, long id2) {
    return a1 < a2 || (a1 == a2 && id1 > id2);
  }

  private void offer(int j, float a, long rowId) {
    int base = j * k;
    int s = size[j];
    if (s < k) {
      int i = s;
      size[j] = s + 1;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!weaker(a, rowId, heapActs[base + parent], heapRowIds[base + parent])) {
          break;
        }
        heapActs[base + i] = heapActs[base + parent];
        heapRowIds[base + i] = heapRowIds[base + parent];
        i = parent;
      }
      heapActs[base + i] = a;
      heapRowIds[base + i] = rowId;
    } else if (weaker(heapActs[base], heapRowIds[base], a, rowId)) {
      siftDownFromRoot(base, a, rowId);
    }
  }

  /** Replaces the root of a full heap with (a, rowId) and restores the heap order. */
  private void siftDownFromRoot(int base, float a, long rowId) {
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= k) {
        break;
      }
      int right = child + 1;
      if (right < k && weaker(heapActs[base + right], heapRowIds[base + right],
          heapActs[base + child], heapRowIds[base + child])) {
        child = right;
      }
      if (!weaker(heapActs[base + child], heapRowIds[base + child], a, rowId)) {
        break;
      }
      heapActs[base + i] = heapActs[base + child];
      heapRowIds[base + i] = heapRowIds[base + child];
      i = child;
    }
    heapActs[base + i] = a;
    heapRowIds[base + i] = rowId;
  }

  /** m = {@code d_sae}. */
  public int dSae() {
    return dSae;
  }

  /** Rows kept per feature at most. */
  public int k() {
    return k;
  }

  /** How many rows are kept for feature {@code j}: {@code min(k, rows where j fired)}. */
  public int count(int feature) {
    checkFeature(feature);
    return size[feature];
  }

  /**
   * The kept rows of one feature, strongest first (rank 1 at index 0): descending activation,
   * ties by ascending rowId.
   */
  public List<Example> examples(int feature) {
    checkFeature(feature);
    int base = feature * k;
    Example[] out = new Example[size[feature]];
    for (int t = 0; t < out.length; t++) {
      out[t] = new Example(heapRowIds[base + t], heapActs[base + t]);
    }
    Arrays.sort(out, (x, y) -> weaker(x.activation(), x.rowId(), y.activation(), y.rowId()) ? 1
        : weaker(y.activation(), y.rowId(), x.activation(), x.rowId()) ? -1 : 0);
    return List.copyOf(Arrays.asList(out));
  }

  /** {@link #examples(int)} for every feature, indexed by feature. */
  public List<List<Example>> allExamples() {
    List<List<Example>> all = new ArrayList<>(dSae);
    for (int j = 0; j < dSae; j++) {
      all.add(examples(j));
    }
    return all;
  }

  private void checkFeature(int feature) {
    Errors.check(feature >= 0 && feature < dSae,
        "feature index %d is out of range 0..%d (d_sae=%d)", feature, dSae - 1, dSae);
  }

  @Override
  public String toString() {
    return TYPE + "(d_sae=" + dSae + ", k=" + k + ")";
  }
}
