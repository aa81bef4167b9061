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

/** The step's broadcast in two parts: split, shipped and joined back without loss. */
class StepPayloadTest {
  private static final int D_IN = 5;
  private static final int D_SAE = 7;

  private static SaeParameters params() {
    float[] mean = {0.5f, -1f, 0f, 2f, 0.25f};
    return SaeInit.initialize(D_IN, D_SAE, 3, mean);
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

  @Test
  void givenParameters_whenSplitShippedAndJoined_thenBitIdenticalWithTheBatchInTheFirstPart()
      throws Exception {
    SaeParameters p = params();
    int[] batch = {0, 3, 3, 8};
    StepTask.Payload[] parts = StepTask.Payload.split(p, batch, 0.125);
    StepTask.Payload head = javaRoundTrip(parts[0]);
    StepTask.Payload tail = javaRoundTrip(parts[1]);
    SaeParameters back = StepTask.Payload.join(head, tail);
    for (String name : SaeParameters.NAMES) {
      assertArrayEquals(p.get(name).shape(), back.get(name).shape(), name);
      assertArrayEquals(p.get(name).toFloatArray(), back.get(name).toFloatArray(), name);
    }
    assertArrayEquals(batch, head.batchPositions());
    assertEquals(0.125, head.lambda());
    assertNull(tail.batchPositions());
  }

  @Test
  void givenParametersNotShipped_whenJoined_thenTheDriversOwnTensors() {
    // A task in the driver's JVM (local mode) reads the broadcast values in place.
    SaeParameters p = params();
    StepTask.Payload[] parts = StepTask.Payload.split(p, new int[] {1}, 0.5);
    SaeParameters joined = StepTask.Payload.join(parts[0], parts[1]);
    for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
      assertSame(p.tensors().get(i), joined.tensors().get(i), SaeParameters.NAMES.get(i));
    }
  }

  @Test
  void givenPartsInTheWrongOrderOrFromOtherShapes_whenJoined_thenRefused() {
    StepTask.Payload[] parts = StepTask.Payload.split(params(), new int[] {1}, 0.5);
    assertThrows(IllegalStateException.class, () -> StepTask.Payload.join(parts[1], parts[0]));
    StepTask.Payload[] other = StepTask.Payload.split(SaeInit.initialize(D_IN, D_SAE + 1, 3,
        new float[D_IN]), new int[] {1}, 0.5);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> StepTask.Payload.join(parts[0], other[1]));
    assertEquals("not the two parts of one step's parameters: parts from 0 and 4, d_in 5/5, d_sae 7/8",
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> StepTask.Payload.split(params().cast(DType.FLOAT64), new int[] {1}, 0.5));
  }
}
