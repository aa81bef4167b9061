package org.gsae.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;

/** Round trips of random tensors, and random damage that must only ever give INVALID_INPUT. */
class SafeTensorsPropertyTest {

  record Spec(long[] shape, int seed, boolean f64) {}

  @Provide
  Arbitrary<Map<String, Spec>> tensorSets() {
    return tensorSetArbitrary();
  }

  /** Up to six named tensors of up to four dimensions of size 0..6, F32 or F64 (shared with {@link SafeTensorsFuzzTest}). */
  static Arbitrary<Map<String, Spec>> tensorSetArbitrary() {
    Arbitrary<long[]> shapes = Arbitraries.longs().between(0, 6).array(long[].class).ofMaxSize(4);
    Arbitrary<Spec> spec = Combinators.combine(shapes, Arbitraries.integers(), Arbitraries.of(false, true))
        .as(Spec::new);
    return Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(12), spec)
        .ofMinSize(0).ofMaxSize(6)
        .filter(m -> !m.containsKey(SafeTensorsHeader.METADATA_KEY));
  }

  static int count(long[] shape) {
    return (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
  }

  /** Arbitrary bit patterns (NaNs with payloads, subnormals, infinities included). */
  static float[] floats(Spec s) {
    Random r = new Random(s.seed());
    float[] v = new float[count(s.shape())];
    for (int i = 0; i < v.length; i++) {
      v[i] = Float.intBitsToFloat(r.nextInt());
    }
    return v;
  }

  static double[] doubles(Spec s) {
    Random r = new Random(s.seed());
    double[] v = new double[count(s.shape())];
    for (int i = 0; i < v.length; i++) {
      v[i] = Double.longBitsToDouble(r.nextLong());
    }
    return v;
  }

  static byte[] write(Map<String, Spec> specs, Map<String, String> meta) {
    SafeTensorsWriter w = new SafeTensorsWriter();
    specs.forEach((name, s) -> {
      if (s.f64()) {
        w.putDoubles(name, doubles(s), s.shape());
      } else {
        w.putFloats(name, floats(s), s.shape());
      }
    });
    meta.forEach(w::metadata);
    return w.toBytes();
  }

  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  static long[] bits(double[] v) {
    long[] b = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Double.doubleToRawLongBits(v[i]);
    }
    return b;
  }

  @Property(tries = 200)
  void randomTensorsRoundTripBitExactly(@ForAll("tensorSets") Map<String, Spec> specs,
      @ForAll Map<@net.jqwik.api.constraints.StringLength(max = 8) String, String> meta) {
    Map<String, String> metadata = new LinkedHashMap<>(meta);
    byte[] bytes = write(specs, metadata);
    try (SafeTensorsReader r = SafeTensorsReader.open(bytes, "prop")) {
      assertEquals(specs.keySet(), r.header().entries().keySet());
      assertEquals(metadata, r.header().metadata());
      for (Map.Entry<String, Spec> e : specs.entrySet()) {
        Spec s = e.getValue();
        assertArrayEquals(s.shape(), r.header().entry(e.getKey()).shape());
        if (s.f64()) {
          assertArrayEquals(bits(doubles(s)), bits(r.readDoubles(e.getKey())));
        } else {
          assertArrayEquals(bits(floats(s)), bits(r.readFloats(e.getKey())));
        }
      }
    }
  }

  /**
   * Overwrites a few random bytes (mostly in the length field and header, where parsing
   * happens) or truncates the file: the reader must either read every tensor or fail with
   * INVALID_INPUT, never with another exception.
   */
  @Property(tries = 1000)
  void damagedFilesFailOnlyWithInvalidInput(@ForAll("tensorSets") Map<String, Spec> specs,
      @ForAll int seed, @ForAll @IntRange(min = 1, max = 4) int edits, @ForAll boolean truncate) {
    byte[] bytes = write(specs, Map.of("k", "v"));
    Random r = new Random(seed);
    int headerEnd = (int) Math.min(bytes.length, 8 + java.nio.ByteBuffer.wrap(bytes)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0));
    if (truncate) {
      bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length));
    } else {
      for (int i = 0; i < edits; i++) {
        int at = r.nextInt(4) == 0 ? r.nextInt(bytes.length) : r.nextInt(headerEnd);
        bytes[at] = (byte) List.of('{', '}', '[', ']', '"', ',', ':', '0', '9', '-', ' ', 'e')
            .get(r.nextInt(12)).charValue();
        if (r.nextBoolean()) {
          bytes[at] = (byte) r.nextInt();
        }
      }
    }
    try (SafeTensorsReader reader = SafeTensorsReader.open(bytes, "prop")) {
      for (TensorEntry e : reader.header().entries().values()) {
        if (e.dtype().isReadable()) {
          reader.readDoubles(e.name());
        }
      }
    } catch (GsaeException e) {
      assertEquals(ErrorCode.INVALID_INPUT, e.code(), e.getMessage());
    }
  }
}
