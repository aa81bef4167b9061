package org.gsae.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors writer against hand-built bytes, and the reader against hostile files. */
class SafeTensorsTest {
  private static final String SRC = "mem://test.safetensors";

  /** 8-byte LE length + header exactly as given (no padding) + {@code dataBytes} zero bytes. */
  static byte[] file(String header, int dataBytes) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length).put(h).array();
  }

  static GsaeException invalid(byte[] bytes) {
    GsaeException e = assertThrows(GsaeException.class, () -> {
      try (SafeTensorsReader r = SafeTensorsReader.open(bytes, SRC)) {
        r.header().entries().keySet().forEach(r::readDoubles);
      }
    });
    assertEquals(ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains(SRC), "message names the file: " + e.getMessage());
    return e;
  }

  static void assertMentions(GsaeException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void givenTwoTensors_whenWritten_thenBytesAreTheSortedPaddedLayoutBuiltByHand() {
    byte[] got = new SafeTensorsWriter()
        .putFloats("b", new float[] {1f, -2f}, 2)
        .putFloats("a", new float[] {0.5f}, 1, 1)
        .toBytes();
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
    int padded = (header.length() + 7) / 8 * 8;
    ByteBuffer want = ByteBuffer.allocate(8 + padded + 12).order(ByteOrder.LITTLE_ENDIAN);
    want.putLong(padded).put(header.getBytes(StandardCharsets.US_ASCII));
    while (want.position() < 8 + padded) {
      want.put((byte) ' ');
    }
    // IEEE-754 bit patterns: 0.5f = 0x3F000000, 1f = 0x3F800000, -2f = 0xC0000000.
    want.putInt(0x3F000000).putInt(0x3F800000).putInt(0xC0000000);
    assertArrayEquals(want.array(), got);
  }

  @Test
  void givenF32F64ScalarEmptyAndMetadata_whenRoundTripped_thenEverythingComesBackExactly() {
    float[] w = {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 3e-39f};
    double[] d = {Math.PI, -1e300, Double.MIN_VALUE};
    byte[] bytes = new SafeTensorsWriter()
        .putFloats("w", w, 2, 3)
        .putDoubles("d", d, 3)
        .putFloats("scalar", new float[] {7f})
        .putFloats("empty", new float[0], 0, 4)
        .metadata("format", "pt").metadata("note", "ünïcode")
        .toBytes();
    try (SafeTensorsReader r = SafeTensorsReader.open(bytes, SRC)) {
      SafeTensorsHeader h = r.header();
      assertEquals(List.of("d", "empty", "scalar", "w"), List.copyOf(h.entries().keySet()));
      assertEquals(Map.of("format", "pt", "note", "ünïcode"), h.metadata());
      assertArrayEquals(new long[] {2, 3}, h.entry("w").shape());
      assertArrayEquals(new long[] {}, h.entry("scalar").shape());
      assertEquals(SafeTensorsDType.F64, h.entry("d").dtype());
      assertArrayEquals(w, r.readFloats("w"));
      assertArrayEquals(d, r.readDoubles("d"));
      assertArrayEquals(new float[] {7f}, r.readFloats("scalar"));
      assertEquals(0, r.readFloats("empty").length);
      // Conversions happen only when asked for.
      assertMentions(assertThrows(GsaeException.class, () -> r.readFloats("d")), "'d'", "F64");
      float[] narrowed = r.readFloatsConverted("d");
      assertEquals((float) Math.PI, narrowed[0]);
      assertEquals(Float.NEGATIVE_INFINITY, narrowed[1]);
      double[] widened = r.readDoubles("w");
      assertEquals(1.5, widened[0]);
      assertEquals(Float.MAX_VALUE, widened[3]);
      assertMentions(assertThrows(GsaeException.class, () -> r.readFloats("nope")), "'nope'");
    }
  }

  @Test
  void givenTensorsStoredOutOfNameOrder_whenRead_thenOffsetsAreHonoured() {
    // "z" first in the buffer, "a" second: a reader assuming sorted layout would swap them.
    ByteBuffer b = ByteBuffer.wrap(file("{\"z\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}", 16))
        .order(ByteOrder.LITTLE_ENDIAN);
    int data = b.capacity() - 16;
    b.putFloat(data, 2.5f).putDouble(data + 8, -0.125);
    try (SafeTensorsReader r = SafeTensorsReader.open(b.array(), SRC)) {
      assertArrayEquals(new float[] {2.5f}, r.readFloats("z"));
      assertArrayEquals(new double[] {-0.125}, r.readDoubles("a"));
    }
  }

  @Test
  void givenFileShorterThanLengthField_thenTruncatedIsReported() {
    assertMentions(invalid(new byte[] {1, 0, 0}), "truncated", "3 bytes");
  }

  @Test
  void givenDataCutShort_thenTheTensorOutsideTheBufferIsNamed() {
    byte[] full = file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16);
    assertMentions(invalid(Arrays.copyOf(full, full.length - 5)), "tensor 'w'", "[0, 16]",
        "11 bytes", "truncated");
  }

  @Test
  void givenHeaderLengthBeyondFile_thenItIsReported() {
    byte[] f = file("{}", 0);
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
    assertMentions(invalid(f), "header length 1000", "larger than the 2 bytes");
  }

  @Test
  void givenAbsurdHeaderLength_thenTheLimitIsReported() {
    byte[] f = file("{}", 0);
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 62);
    assertMentions(invalid(f), "header length 4611686018427387904", "exceeds the limit");
    // A length with the top bit set is huge, not negative.
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
    assertMentions(invalid(f), "18446744073709551615", "exceeds the limit");
  }

  @Test
  void givenOverlappingRanges_thenBothTensorsAreNamed() {
    assertMentions(invalid(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)),
        "'a'", "'b'", "overlap");
  }

  @Test
  void givenEmptyTensorInsideAnother_thenThatIsNotAnOverlap() {
    byte[] f = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", 8);
    try (SafeTensorsReader r = SafeTensorsReader.open(f, SRC)) {
      assertEquals(0, r.readFloats("e").length);
    }
  }

  @Test
  void givenOffsetsOutOfRange_thenTheTensorAndOffsetsAreNamed() {
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 8)),
        "tensor 'w'", "[8, 16]", "beyond the data buffer of 8 bytes");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8)),
        "tensor 'w'", "begin > end");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8)),
        "tensor 'w' field 'data_offsets'", "non-negative");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 8)),
        "data_offsets", "must have 2 entries");
  }

  @Test
  void givenShapeThatDisagreesWithOffsets_thenSizesAreReported() {
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
        "tensor 'w'", "[3]", "needs 12 bytes", "span 8");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[2, 1],\"data_offsets\":[0,8]}}", 8)),
        "needs 16 bytes");
    // A span larger than the shape needs is as wrong as a smaller one.
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8)),
        "needs 4 bytes", "span 8");
  }

  @Test
  void givenShapeWhoseByteCountOverflows_thenOverflowIsReported() {
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
        + "\"data_offsets\":[0,0]}}", 0)), "tensor 'w'", "overflows");
    // 2^62 elements fit a long but their F32 byte count does not.
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],"
        + "\"data_offsets\":[0,0]}}", 0)), "overflows");
  }

  @Test
  void givenBadShapeValues_thenTheFieldIsNamed() {
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0)),
        "tensor 'w' field 'shape' entry 0", "non-negative");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,0]}}", 0)),
        "field 'shape'", "1.5");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],"
        + "\"data_offsets\":[0,0]}}", 0)), "field 'shape'", "64-bit");
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}", 0)),
        "field 'shape'", "found nothing");
  }

  @Test
  void givenUnknownDtype_thenTheDtypeAndTensorAreNamed() {
    assertMentions(invalid(file("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16)),
        "tensor 'w'", "unknown dtype 'F128'");
    assertMentions(invalid(file("{\"w\":{\"dtype\":3,\"shape\":[1],\"data_offsets\":[0,4]}}", 4)),
        "tensor 'w'", "dtype");
  }

  @Test
  void givenKnownButUnsupportedDtype_thenReadingItIsRejectedByName() {
    byte[] f = file("{\"h\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4);
    try (SafeTensorsReader r = SafeTensorsReader.open(f, SRC)) {
      assertEquals(SafeTensorsDType.BF16, r.header().entry("h").dtype());
      GsaeException e = assertThrows(GsaeException.class, () -> r.readFloatsConverted("h"));
      assertEquals(ErrorCode.INVALID_INPUT, e.code());
      assertMentions(e, "tensor 'h'", "BF16", "F32 and F64");
    }
  }

  @Test
  void givenMalformedJson_thenLineAndColumnAreGiven() {
    assertMentions(invalid(file("{\"w\": {\"dtype\": \"F32\",", 0)), "malformed JSON",
        "safetensors header line 1");
    assertMentions(invalid(file("{\"a\":{},\"a\":{}}", 0)), "Duplicate field 'a'");
    assertMentions(invalid(file("{} {}", 0)), "malformed JSON");
    assertMentions(invalid(file("", 0)), "empty");
    byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
    badUtf8[10] = (byte) 0xFF;
    assertMentions(invalid(badUtf8), "not valid UTF-8");
  }

  @Test
  void givenHeaderThatIsNotAnObject_thenTheTypeFoundIsNamed() {
    assertMentions(invalid(file("[1, 2]", 0)), "must be a JSON object", "ARRAY");
    assertMentions(invalid(file("{\"w\": [0, 4]}", 4)), "tensor 'w' must be an object", "ARRAY");
    assertMentions(invalid(file("{\"__metadata__\": {\"k\": 1}}", 0)), "__metadata__", "'k'",
        "must be a string");
  }

  @Test
  void givenAFileOnHadoopFs_whenDamaged_thenTheMessageNamesItsPath(@TempDir java.nio.file.Path tmp) {
    Path p = new Path(new Path(tmp.toUri().toString()), "w.safetensors");
    FileSystem fs = HadoopFiles.fileSystem(p, null);
    byte[] good = new SafeTensorsWriter().putFloats("w", new float[] {1, 2, 3}, 3).toBytes();
    HadoopFiles.writeBytes(fs, p, Arrays.copyOf(good, good.length - 1));
    GsaeException e = assertThrows(GsaeException.class, () -> SafeTensorsReader.open(p, null));
    assertEquals(ErrorCode.INVALID_INPUT, e.code());
    assertMentions(e, "tensor 'w'", tmp.toString(), "w.safetensors");

    Path missing = new Path(p.getParent(), "missing.safetensors");
    GsaeException io = assertThrows(GsaeException.class, () -> SafeTensorsReader.open(missing, null));
    assertEquals(ErrorCode.IO, io.code());
    assertMentions(io, "missing.safetensors");
  }
}
