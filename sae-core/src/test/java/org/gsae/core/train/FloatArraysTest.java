package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bulk float (de)serialisation: bit-exact across the conversion chunks' boundaries. */
class FloatArraysTest {
  private static final int C = FloatArrays.CHUNK;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, C - 1, C, C + 1, 2 * C + 123})
  void givenAnyLength_whenWrittenAndRead_thenEveryBitSurvives(int length) throws IOException {
    float[] a = awkwardValues(length, length);
    byte[] bytes = serialize(out -> FloatArrays.write(out, a));
    float[] back;
    try (ObjectInputStream in = input(bytes)) {
      back = FloatArrays.read(in);
      assertEquals(-1, in.read(), "nothing left after the array");
    }
    assertEquals(length, back.length);
    for (int i = 0; i < length; i++) {
      assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(back[i]), "float " + i);
    }
  }

  @Test
  void givenNull_whenWrittenAndRead_thenNull() throws IOException {
    byte[] bytes = serialize(out -> FloatArrays.write(out, null));
    try (ObjectInputStream in = input(bytes)) {
      assertNull(FloatArrays.read(in));
    }
  }

  @Test
  void givenATargetOfAnotherLength_whenReadInto_thenErrorNamesBothLengths() throws IOException {
    byte[] bytes = serialize(out -> FloatArrays.write(out, new float[C + 1]));
    try (ObjectInputStream in = input(bytes)) {
      InvalidObjectException e = assertThrows(InvalidObjectException.class,
          () -> FloatArrays.readInto(in, new float[C]));
      assertTrue(e.getMessage().contains(C + " floats") && e.getMessage().contains(String.valueOf(C + 1)),
          e.getMessage());
    }
  }

  @Test
  void givenParametersSpanningSeveralChunks_whenWrittenAndRead_thenIdentical() throws IOException {
    int dIn = 40;
    int dSae = C / 16;   // each matrix holds 2.5 chunks
    SaeParameters p = SaeParameters.zeros(dIn, dSae, DType.FLOAT32);
    int seed = 0;
    for (Tensor t : p.tensors()) {
      float[] v = t.floatView();
      System.arraycopy(awkwardValues(v.length, ++seed), 0, v, 0, v.length);
    }
    byte[] bytes = serialize(out -> FloatArrays.writeParameters(out, p));
    SaeParameters back;
    try (ObjectInputStream in = input(bytes)) {
      back = FloatArrays.readParameters(in);
    }
    assertEquals(dIn, back.dIn());
    assertEquals(dSae, back.dSae());
    for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
      assertArrayEquals(p.tensors().get(i).floatView(), back.tensors().get(i).floatView(),
          SaeParameters.NAMES.get(i));
    }
  }

  /** Random values with the edge cases a byte-order or chunking slip would mangle. */
  private static float[] awkwardValues(int length, long seed) {
    float[] special = {-0.0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
        Float.intBitsToFloat(0x7fc01234), 1.0f};
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[length];
    for (int i = 0; i < length; i++) {
      a[i] = (i % 97 < special.length) ? special[i % 97] : (float) r.nextGaussian();
    }
    return a;
  }

  private interface Writer {
    void write(ObjectOutputStream out) throws IOException;
  }

  private static byte[] serialize(Writer w) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      w.write(out);
    }
    return bytes.toByteArray();
  }

  private static ObjectInputStream input(byte[] bytes) throws IOException {
    return new ObjectInputStream(new ByteArrayInputStream(bytes));
  }
}
