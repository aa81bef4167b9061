package org.gsae.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Seeded initialisation of docs/architecture.md §2. */
class SaeInitTest {

  @Test
  void givenASeed_thenUnitDecoderRowsTiedEncoderZeroBiasesAndTheMeanAsBDec() {
    float[] mean = {0.5f, -1f, 2f};
    SaeParameters p = SaeInit.initialize(3, 5, 9, mean);
    float[] wDec = p.wDec().toFloatArray();
    float[] wEnc = p.wEnc().toFloatArray();
    for (int j = 0; j < 5; j++) {
      double n2 = 0;
      for (int i = 0; i < 3; i++) {
        n2 += wDec[j * 3 + i] * wDec[j * 3 + i];
        assertEquals(wDec[j * 3 + i], wEnc[i * 5 + j], "W_enc = W_dec^T at [" + i + "," + j + "]");
      }
      assertEquals(1.0, Math.sqrt(n2), 1e-6, "row " + j + " has unit norm");
    }
    assertArrayEquals(new float[5], p.bGate().toFloatArray());
    assertArrayEquals(new float[5], p.rMag().toFloatArray());
    assertArrayEquals(new float[5], p.bMag().toFloatArray());
    assertArrayEquals(mean, p.bDec().toFloatArray());
  }

  @Test
  void givenTheSameSeed_thenTheSameModel_andAnotherSeedAnother() {
    assertArrayEquals(SaeInit.initialize(8, 16, 1, null).toFlat(), SaeInit.initialize(8, 16, 1, null).toFlat());
    assertFalse(Arrays.equals(SaeInit.initialize(8, 16, 1, null).toFlat(),
        SaeInit.initialize(8, 16, 2, null).toFlat()));
  }
}
