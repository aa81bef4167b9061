package org.gsae.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Row-aligned batches make a row's encoding independent of the other rows in its batch. These
 * tests are kernel-sensitive (tag {@code determinism}): on OpenBLAS's Haswell kernel, encoding
 * rows at batch-relative offsets instead fails the first three ({@code .ci/run} runs them
 * under two kernels).
 */
@Tag("determinism")
class AlignedEncoderTest {
  private static final int ROWS = 1000;
  private static final int D_IN = 64;
  private static final int D_SAE = 256;
  private static final int G = 128;

  static float[] data;
  static SaeParameters p;
  /** Activations and reconstructions of one encoder over every row, by row id. */
  static float[] acts;
  static float[] xHat;

  @BeforeAll
  static void encodeAll() {
    SyntheticActivations s = SyntheticActivations.generate(ROWS, D_IN, 96, 6.0, 0.05, 5);
    data = s.data().data();
    p = SaeInit.initialize(D_IN, D_SAE, 17, s.data().mean());
    acts = new float[ROWS * D_SAE];
    xHat = new float[ROWS * D_IN];
    Collector all = new Collector();
    AlignedEncoder e = new AlignedEncoder(p, G, true, all);
    for (int r = 0; r < ROWS; r++) {
      e.add(r, data, r * D_IN);
    }
    e.flush();
    assertEquals(ROWS, all.ids.size());
    for (int i = 0; i < ROWS; i++) {
      assertEquals(i, all.ids.get(i));
    }
    System.arraycopy(all.acts(), 0, acts, 0, acts.length);
    System.arraycopy(all.xHat(), 0, xHat, 0, xHat.length);
    int active = 0;
    for (float a : acts) {
      active += a > 0 ? 1 : 0;
    }
    assertTrue(active > ROWS && active < ROWS * D_SAE / 2, "a realistic share of open gates: " + active);
  }

  @Test
  void automaticBatchSizeKeepsEachBatchBufferWithin64Mb() {
    // The largest power of two <= 4096 with G x d_sae <= 2^24 floats.
    assertEquals(4096, AlignedEncoder.autoBatchSize(1));
    assertEquals(4096, AlignedEncoder.autoBatchSize(256));
    assertEquals(4096, AlignedEncoder.autoBatchSize(4096));
    assertEquals(2048, AlignedEncoder.autoBatchSize(4097));
    assertEquals(2048, AlignedEncoder.autoBatchSize(6272));   // 2^24 / 6272 = 2674.9
    assertEquals(512, AlignedEncoder.autoBatchSize(24_576));  // 682.7
    assertEquals(128, AlignedEncoder.autoBatchSize(131_072));
    assertEquals(1, AlignedEncoder.autoBatchSize(1 << 25));
    assertEquals(300, AlignedEncoder.batchSize(300, 24_576), "a given size is kept");
    assertEquals(512, AlignedEncoder.batchSize(0, 24_576), "0 is automatic");
    assertThrows(IllegalArgumentException.class, () -> AlignedEncoder.batchSize(-1, 8));
    assertThrows(IllegalArgumentException.class, () -> AlignedEncoder.autoBatchSize(0));
  }

  /** Partition ranges cut anywhere (mid-batch, one-row ranges): the same bits for every row. */
  @Test
  void givenRowsSplitIntoRanges_whenEncodedSeparately_thenEveryRowHasTheSameBits() {
    int[] cuts = {0, 1, 317, 318, 700, 768, ROWS};
    for (int c = 0; c + 1 < cuts.length; c++) {
      Collector part = new Collector();
      AlignedEncoder e = new AlignedEncoder(p, G, true, part);
      for (int r = cuts[c]; r < cuts[c + 1]; r++) {
        e.add(r, data, r * D_IN);
      }
      e.flush();
      part.assertMatchesAll();
    }
  }

  /** Skipped rows (invalid input) leave holes; the remaining rows keep their bits. */
  @Test
  void givenRowsWithHoles_whenEncoded_thenTheRemainingRowsHaveTheSameBits() {
    Collector some = new Collector();
    AlignedEncoder e = new AlignedEncoder(p, G, true, some);
    for (int r = 0; r < ROWS; r++) {
      if (r % 7 != 3) {
        e.add(r, data, r * D_IN);
      }
    }
    e.flush();
    assertEquals(ROWS - (ROWS + 3) / 7, some.ids.size());
    some.assertMatchesAll();
  }

  /** Rows of one batch added out of order come back in the order added, with the same bits. */
  @Test
  void givenRowsOutOfOrder_whenEncoded_thenTheyComeBackInThatOrderWithTheSameBits() {
    Collector rev = new Collector();
    AlignedEncoder e = new AlignedEncoder(p, G, false, rev);
    for (int r = 2 * G - 1; r >= G; r--) {
      e.add(r, data, r * D_IN);
    }
    e.add(5, data, 5 * D_IN);   // another batch: flushes the first
    e.flush();
    assertEquals(2, rev.batches);
    for (int i = 0; i < G; i++) {
      assertEquals(2L * G - 1 - i, rev.ids.get(i));
    }
    assertEquals(5L, rev.ids.get(G));
    rev.assertMatchesAll();
  }

  /**
   * Another batch height is another GEMM shape: the activations then agree with one GEMM over
   * all rows to float32 rounding only (relative 1e-5: 64-term dot products of terms ~1, each
   * rounded to ~6e-8, then scaled by exp(r_mag) and shifted by b_mag).
   */
  @Test
  void givenAnotherBatchHeight_whenEncoded_thenActivationsAgreeToFloatRounding() {
    Encoding one = GatedEncoder.encode(p, Tensor.of(data, ROWS, D_IN));
    float[] ref = one.featureActs().toFloatArray();
    float[] pi = one.piGate().toFloatArray();
    for (int i = 0; i < ref.length; i++) {
      if (Math.abs(pi[i]) < 1e-4f) {
        continue;   // a gate within rounding of 0 may open in one shape and not the other
      }
      assertEquals(ref[i], acts[i], 1e-5f * Math.max(1f, Math.abs(ref[i])), "element " + i);
    }
  }

  @Test
  void blockRowsIsTheBatchSizeOrTheStoreSizeWhicheverIsSmaller() {
    assertEquals(4096, AlignedEncoder.blockRows(4096, 1L << 40));
    assertEquals(10, AlignedEncoder.blockRows(4096, 10));
    assertEquals(1, AlignedEncoder.blockRows(1, 10));
    assertThrows(IllegalArgumentException.class, () -> AlignedEncoder.blockRows(0, 10));
    assertThrows(IllegalArgumentException.class, () -> AlignedEncoder.blockRows(10, 0));
    AlignedEncoder e = new AlignedEncoder(p, G, false, (ids, b, x, f, r) -> { });
    assertThrows(IllegalArgumentException.class, () -> e.add(-1, data, 0));
  }

  /** Collects what the sink receives and compares it with the all-rows encoding. */
  private static final class Collector implements AlignedEncoder.Sink {
    final List<Long> ids = new ArrayList<>();
    final List<float[]> actRows = new ArrayList<>();
    final List<float[]> hatRows = new ArrayList<>();
    final List<float[]> xRows = new ArrayList<>();
    int batches;

    @Override
    public void accept(long[] rowIds, int rows, float[] x, float[] featureActs, float[] hat) {
      batches++;
      for (int i = 0; i < rows; i++) {
        ids.add(rowIds[i]);
        xRows.add(Arrays.copyOfRange(x, i * D_IN, (i + 1) * D_IN));
        actRows.add(Arrays.copyOfRange(featureActs, i * D_SAE, (i + 1) * D_SAE));
        hatRows.add(hat == null ? null : Arrays.copyOfRange(hat, i * D_IN, (i + 1) * D_IN));
      }
    }

    float[] acts() {
      float[] out = new float[ids.size() * D_SAE];
      for (int i = 0; i < ids.size(); i++) {
        System.arraycopy(actRows.get(i), 0, out, i * D_SAE, D_SAE);
      }
      return out;
    }

    float[] xHat() {
      float[] out = new float[ids.size() * D_IN];
      for (int i = 0; i < ids.size(); i++) {
        System.arraycopy(hatRows.get(i), 0, out, i * D_IN, D_IN);
      }
      return out;
    }

    void assertMatchesAll() {
      for (int i = 0; i < ids.size(); i++) {
        int r = Math.toIntExact(ids.get(i));
        assertArrayEquals(Arrays.copyOfRange(data, r * D_IN, (r + 1) * D_IN), xRows.get(i),
            "input of row " + r);
        assertArrayEquals(Arrays.copyOfRange(acts, r * D_SAE, (r + 1) * D_SAE), actRows.get(i),
            "activations of row " + r);
        if (hatRows.get(i) != null) {
          assertArrayEquals(Arrays.copyOfRange(xHat, r * D_IN, (r + 1) * D_IN), hatRows.get(i),
              "reconstruction of row " + r);
        }
      }
    }
  }
}
