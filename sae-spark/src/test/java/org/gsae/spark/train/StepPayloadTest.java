package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The step's broadcast in one or two parts: split, shipped and joined back without loss. */
class StepPayloadTest {
  private static final int D_IN = 5;
  private static final int D_SAE = 7;

  /** 4 (2 d_in d_sae + 3 d_sae + d_in) bytes: just under or just over the two-part threshold. */
  private static SaeParameters params(boolean twoParts) {
    int dIn = 64;
    int dSae = twoParts ? 8192 : 8000;
    assertEquals(twoParts, 4 * SaeParameters.parameterCount(dIn, dSae) >= StepTask.Payload.SPLIT_MIN_BYTES);
    return SaeInit.initialize(dIn, dSae, 3, new float[dIn]);
  }

  private static StepTask.Payload javaRoundTrip(StepTask.Payload p) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (StepTask.Payload) in.readObject();
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void givenParameters_whenSplitShippedAndJoined_thenBitIdenticalWithTheBatchInTheFirstPart(
      boolean twoParts) throws Exception {
    SaeParameters p = params(twoParts);
    long[] batch = {0, 3, 3, 8};
    StepTask.Payload[] parts = StepTask.Payload.split(p, batch, 0.125);
    assertEquals(twoParts ? 2 : 1, parts.length);
    StepTask.Payload[] shipped = new StepTask.Payload[parts.length];
    for (int i = 0; i < parts.length; i++) {
      shipped[i] = javaRoundTrip(parts[i]);
    }
    SaeParameters back = StepTask.Payload.join(shipped);
    for (String name : SaeParameters.NAMES) {
      assertArrayEquals(p.get(name).shape(), back.get(name).shape(), name);
      assertArrayEquals(p.get(name).toFloatArray(), back.get(name).toFloatArray(), name);
    }
    assertArrayEquals(batch, shipped[0].batchPositions());
    assertEquals(0.125, shipped[0].lambda());
    if (twoParts) {
      assertNull(shipped[1].batchPositions());
    }
  }

  @Test
  void givenPartsNotShipped_whenJoined_thenTheDriversOwnTensors() {
    // A task in the driver's JVM (local mode) reads the broadcast values in place.
    SaeParameters p = params(true);
    SaeParameters joined = StepTask.Payload.join(StepTask.Payload.split(p, new long[] {1}, 0.5));
    for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
      assertSame(p.tensors().get(i), joined.tensors().get(i), SaeParameters.NAMES.get(i));
    }
  }

  @Test
  void givenPartsInTheWrongOrderOrFromOtherShapes_whenJoined_thenRefused() {
    StepTask.Payload[] parts = StepTask.Payload.split(params(true), new long[] {1}, 0.5);
    assertThrows(IllegalStateException.class, () -> StepTask.Payload.join(parts[1], parts[0]));
    assertThrows(IllegalStateException.class, () -> StepTask.Payload.join(parts[0]));
    StepTask.Payload[] other = StepTask.Payload.split(SaeInit.initialize(64, 8200, 3,
        new float[64]), new long[] {1}, 0.5);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StepTask.Payload.join(parts[0], other[1]));
    assertEquals("not the parts of one step's parameters in order: a part starting at tensor 4"
        + " (d_in 64, d_sae 8200) after 4 tensors (d_in 64, d_sae 8192)", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> StepTask.Payload.split(params(false).cast(DType.FLOAT64), new long[] {1}, 0.5));
  }
}
