package org.gsae.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.io.SafeTensorsPropertyTest.Spec;

/**
 * Fuzzing of the safetensors reader, a parser of untrusted files (docs/architecture.md §3). Extends the
 * random byte overwrites of {@link SafeTensorsPropertyTest} with arbitrary byte arrays,
 * arbitrary header text, bit flips, truncations at and around the header boundary, rewritten
 * header lengths and JSON-level edits of a valid header (swapped offsets and shapes, other
 * dtypes, numbers of every size and type, missing and extra fields, deep nesting). Every input
 * must give a valid result or a one-line {@link GsaeException} with code INVALID_INPUT; any
 * other exception, a hang (each try is cut off after {@link #PER_TRY}) or running out of
 * memory fails the property.
 */
class SafeTensorsFuzzTest {
  private static final Duration PER_TRY = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> DTYPES = List.of("F32", "F64", "F16", "BF16", "I8", "U8", "BOOL",
      "I64", "U64", "F8_E4M3", "F4", "F6_E2M3", "f32", "F33", "Q4_0", "", " F32", "F32\u0000");

  private static final org.apache.hadoop.conf.Configuration HADOOP =
      new org.apache.hadoop.conf.Configuration();

  private static java.nio.file.Path fileDir;

  /**
   * Opens {@code bytes} and reads every tensor. Returns whether the file was valid; throws
   * (failing the property) on anything but INVALID_INPUT, and after {@link #PER_TRY}.
   */
  static boolean readsOrRejects(byte[] bytes) {
    return outcome(bytes) == null;
  }

  /** {@link #readsOrRejects}, returning null for a valid file, else the problem found. */
  static String outcome(byte[] bytes) {
    return assertTimeoutPreemptively(PER_TRY, () -> {
      try (SafeTensorsReader r = SafeTensorsReader.open(bytes, "fuzz.safetensors")) {
        readEverything(r);
        return null;
      } catch (GsaeException e) {
        assertInvalidInput(e);
        return e.problem();
      }
    });
  }

  private static void readEverything(SafeTensorsReader r) {
    for (TensorEntry e : r.header().entries().values()) {
      if (e.dtype().isReadable()) {
        assertEquals(e.elementCount(), r.readDoubles(e.name()).length);
        assertEquals(e.elementCount(), r.readFloatsConverted(e.name()).length);
      } else {
        assertInvalidInput(assertThrows(GsaeException.class, () -> r.readFloats(e.name())));
      }
    }
  }

  private static void assertInvalidInput(GsaeException e) {
    assertEquals(ErrorCode.INVALID_INPUT, e.code(), e::getMessage);
    assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("\r"), e::getMessage);
  }

  @Provide
  Arbitrary<Map<String, Spec>> tensorSets() {
    return SafeTensorsPropertyTest.tensorSetArbitrary();
  }

  /** A valid file of {@code specs} with a little metadata. */
  private static byte[] valid(Map<String, Spec> specs) {
    return SafeTensorsPropertyTest.write(specs, Map.of("format", "pt"));
  }

  static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Length field, {@code header}, {@code data}: a file whose length field is right. */
  static byte[] assemble(byte[] header, byte[] data) {
    return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length).put(header).put(data).array();
  }

  // ---- arbitrary input ----------------------------------------------------------------

  @Property(tries = 1000)
  void arbitraryBytesAreReadOrRejected(@ForAll @Size(max = 1024) byte[] bytes) {
    readsOrRejects(bytes);
  }

  @Provide
  Arbitrary<String> headerTexts() {
    Arbitrary<String> jsonish = Arbitraries.strings()
        .withChars("{}[]\":,0123456789-+.eE tnrufalsFIU_\\dyphpo")
        .ofMaxLength(200);
    Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(100);
    Arbitrary<String> randomJson = Arbitraries.longs().map(seed -> randomJson(new Random(seed), 4).toString());
    return Arbitraries.oneOf(jsonish, anyText, randomJson);
  }

  /** Arbitrary header text followed by arbitrary data, with a correct length field. */
  @Property(tries = 1000)
  void arbitraryHeadersAreReadOrRejected(@ForAll("headerTexts") String header,
      @ForAll @Size(max = 64) byte[] data) {
    readsOrRejects(assemble(header.getBytes(StandardCharsets.UTF_8), data));
  }

  // ---- damaged valid files ------------------------------------------------------------

  @Property(tries = 500)
  void bitFlipsAreReadOrRejected(@ForAll("tensorSets") Map<String, Spec> specs, @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 8) int flips) {
    byte[] bytes = valid(specs);
    Random r = new Random(seed);
    int headerEnd = (int) (8 + headerLength(bytes));
    for (int i = 0; i < flips; i++) {
      // Mostly in the length field and header, where parsing happens.
      int at = r.nextInt(3) == 0 ? r.nextInt(bytes.length) : r.nextInt(headerEnd);
      bytes[at] ^= (byte) (1 << r.nextInt(8));
    }
    readsOrRejects(bytes);
  }

  @Property(tries = 300)
  void truncationsAreReadOrRejected(@ForAll("tensorSets") Map<String, Spec> specs, @ForAll long seed) {
    byte[] bytes = valid(specs);
    long headerEnd = 8 + headerLength(bytes);
    Random r = new Random(seed);
    long[] cuts = {0, 7, 8, headerEnd - 1, headerEnd, r.nextInt(bytes.length)};
    for (long cut : cuts) {
      byte[] cutBytes = Arrays.copyOf(bytes, (int) Math.max(0, Math.min(cut, bytes.length)));
      boolean ok = readsOrRejects(cutBytes);
      if (cutBytes.length < headerEnd) {
        assertFalse(ok, "a file cut inside its header is never valid");
      }
    }
  }

  @Provide
  Arbitrary<Long> headerLengthChoices() {
    return Arbitraries.oneOf(
        Arbitraries.of(0L, 1L, 2L, 7L, 8L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
            SafeTensorsReader.MAX_HEADER_BYTES, SafeTensorsReader.MAX_HEADER_BYTES + 1,
            1L << 31, 1L << 32, (1L << 31) - 1),
        Arbitraries.longs(), Arbitraries.longs().between(-16, 16).map(d -> Long.MIN_VALUE + 1000 + d));
  }

  /** A rewritten length field, absolute or relative to the true one (-16..+16). */
  @Property(tries = 500)
  void rewrittenHeaderLengthsAreReadOrRejected(@ForAll("tensorSets") Map<String, Spec> specs,
      @ForAll("headerLengthChoices") long absolute, @ForAll @IntRange(min = -16, max = 16) int delta,
      @ForAll boolean relative) {
    byte[] bytes = valid(specs);
    long n = relative ? headerLength(bytes) + delta : absolute;
    ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
    boolean ok = readsOrRejects(bytes);
    if (Long.compareUnsigned(n, bytes.length - 8) > 0) {
      assertFalse(ok, "a header longer than the file is never valid");
    }
  }

  /** 1..4 JSON-level edits of a valid header; the data buffer stays as it was. */
  @Property(tries = 1000)
  void headerEditsAreReadOrRejected(@ForAll("tensorSets") Map<String, Spec> specs,
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int edits) {
    readsOrRejects(edited(valid(specs), new Random(seed), edits));
  }

  /** The same edits, read from a file through Hadoop's FileSystem: errors name the file. */
  @Property(tries = 100)
  void headerEditsOnHadoopFsAreReadOrRejected(@ForAll("tensorSets") Map<String, Spec> specs,
      @ForAll long seed) throws IOException {
    byte[] bytes = edited(valid(specs), new Random(seed), 2);
    java.nio.file.Path file = Files.write(dir().resolve("fuzz-" + Long.toHexString(seed)), bytes);
    Path path = new Path(file.toUri());
    HadoopFiles.fileSystem(path, HADOOP); // Hadoop's one-time start-up is not the reader's time
    assertTimeoutPreemptively(PER_TRY, () -> {
      try (SafeTensorsReader r = SafeTensorsReader.open(path, HADOOP)) {
        readEverything(r);
      } catch (GsaeException e) {
        assertInvalidInput(e);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e::getMessage);
      }
    });
    Files.delete(file);
  }

  private static byte[] edited(byte[] file, Random r, int edits) {
    int n = (int) headerLength(file);
    byte[] data = Arrays.copyOfRange(file, 8 + n, file.length);
    ObjectNode header;
    try {
      header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, 8, 8 + n));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String text = null;
    for (int i = 0; i < edits; i++) {
      if (r.nextInt(12) == 0) {
        text = textEdit(header.toString(), r);
        break;
      }
      edit(header, r, data.length);
    }
    String json = text != null ? text : header.toString();
    // Safetensors writers pad the header with spaces; sometimes do the same.
    json += " ".repeat(r.nextInt(3) == 0 ? r.nextInt(9) : 0);
    return assemble(json.getBytes(StandardCharsets.UTF_8), data);
  }

  /** One structural edit of the header. */
  private static void edit(ObjectNode header, Random r, int bufferLength) {
    List<String> names = new ArrayList<>();
    header.fieldNames().forEachRemaining(names::add);
    names.remove(SafeTensorsHeader.METADATA_KEY);
    String a = names.isEmpty() ? "t" : names.get(r.nextInt(names.size()));
    String b = names.isEmpty() ? "u" : names.get(r.nextInt(names.size()));
    JsonNode nodeA = header.get(a);
    ObjectNode ea = nodeA instanceof ObjectNode o ? o : header.putObject(a);
    JsonNode nodeB = header.get(b);
    ObjectNode eb = nodeB instanceof ObjectNode o ? o : header.putObject(b);
    switch (r.nextInt(12)) {
      case 0 -> swap(ea, eb, "data_offsets");
      case 1 -> swap(ea, eb, "shape");
      case 2 -> swap(ea, eb, "dtype");
      case 3 -> ea.put("dtype", DTYPES.get(r.nextInt(DTYPES.size())));
      case 4 -> ea.set("data_offsets", numbers(r, r.nextInt(8) == 0 ? r.nextInt(4) : 2, bufferLength));
      case 5 -> ea.set("shape", numbers(r, r.nextInt(5), bufferLength));
      case 6 -> ea.remove(List.of("dtype", "shape", "data_offsets").get(r.nextInt(3)));
      case 7 -> ea.set(List.of("dtype", "shape", "data_offsets").get(r.nextInt(3)), randomJson(r, 2));
      case 8 -> header.set(r.nextBoolean() ? a : "extra" + r.nextInt(3), randomJson(r, 3));
      case 9 -> header.set(SafeTensorsHeader.METADATA_KEY, randomJson(r, 2));
      case 10 -> {
        // Another tensor over the same bytes, or just past the end of the buffer.
        ObjectNode copy = ea.deepCopy();
        if (r.nextBoolean() && copy.get("data_offsets") instanceof ArrayNode o && o.size() == 2) {
          long len = o.get(1).asLong() - o.get(0).asLong();
          copy.set("data_offsets", NODES.arrayNode().add(bufferLength).add(bufferLength + len));
        }
        header.set(a + "_copy", copy);
      }
      default -> ea.set("data_offsets", NODES.arrayNode().add(0).add(bufferLength));
    }
  }

  /** One edit of the header text: duplicated keys, deep nesting, cut or doubled text. */
  private static String textEdit(String json, Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> json.length() > 2 ? "{" + json.substring(1, json.length() - 1) + ","
          + json.substring(1) : json; // every key twice
      case 1 -> "{\"deep\":" + "[".repeat(2000 + r.nextInt(20000)) + "]".repeat(10) + "}";
      case 2 -> json.substring(0, r.nextInt(json.length() + 1));
      case 3 -> json + json;
      default -> json.replace("\"", "");
    };
  }

  private static void swap(ObjectNode a, ObjectNode b, String field) {
    JsonNode x = a.get(field);
    JsonNode y = b.get(field);
    if (y == null) {
      a.remove(field);
    } else {
      a.set(field, y.deepCopy());
    }
    if (x == null) {
      b.remove(field);
    } else {
      b.set(field, x.deepCopy());
    }
  }

  /** {@code count} numbers of every kind an attacker might try. */
  private static ArrayNode numbers(Random r, int count, int bufferLength) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < count; i++) {
      switch (r.nextInt(9)) {
        case 0 -> out.add(r.nextInt(bufferLength + 2));
        case 1 -> out.add(-1 - r.nextInt(5));
        case 2 -> out.add(r.nextLong());
        case 3 -> out.add(Long.MAX_VALUE - r.nextInt(3));
        case 4 -> out.add(BigInteger.ONE.shiftLeft(64 + r.nextInt(64)));
        case 5 -> out.add(r.nextInt(8) + 0.5);
        case 6 -> out.add(1L << (31 + r.nextInt(3)));
        case 7 -> out.add(String.valueOf(r.nextInt(8)));
        default -> out.add(r.nextInt(8));
      }
    }
    return out;
  }

  /** A random JSON value up to {@code depth} levels, biased to safetensors' own words. */
  static JsonNode randomJson(Random r, int depth) {
    int kind = depth <= 0 ? r.nextInt(5) : r.nextInt(7);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(r.nextBoolean());
      case 2 -> r.nextBoolean() ? NODES.numberNode(r.nextInt(64) - 8) : NODES.numberNode(r.nextDouble() * 1e20);
      case 3 -> NODES.textNode(DTYPES.get(r.nextInt(DTYPES.size())));
      case 4 -> NODES.textNode("x".repeat(r.nextInt(4)));
      case 5 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomJson(r, depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        List<String> keys = List.of("dtype", "shape", "data_offsets", "__metadata__", "a", "");
        for (int i = r.nextInt(4); i > 0; i--) {
          o.set(keys.get(r.nextInt(keys.size())), randomJson(r, depth - 1));
        }
        yield o;
      }
    };
  }

  private static synchronized java.nio.file.Path dir() throws IOException {
    if (fileDir == null) {
      fileDir = Files.createTempDirectory("gsae-safetensors-fuzz");
    }
    return fileDir;
  }

  @AfterContainer
  static void removeDir() throws IOException {
    if (fileDir != null) {
      try (var files = Files.list(fileDir)) {
        for (java.nio.file.Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(fileDir);
      fileDir = null;
    }
  }

  // ---- regressions and limits ---------------------------------------------------------

  @Example
  void aHeaderNestedDeeperThanTheParserAllowsIsRejected() {
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertFalse(readsOrRejects(assemble(deep.getBytes(StandardCharsets.UTF_8), new byte[0])));
  }

  @Example
  void aHeaderLengthAboveTheCapIsRejectedWithoutReadingTheHeader() {
    byte[] tiny = assemble("{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
    for (long n : new long[] {SafeTensorsReader.MAX_HEADER_BYTES + 1, -1L, Long.MIN_VALUE}) {
      ByteBuffer.wrap(tiny, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
      GsaeException e = assertThrows(GsaeException.class, () -> SafeTensorsReader.open(tiny, "f"));
      assertInvalidInput(e);
      assertTrue(e.getMessage().contains("exceeds the limit of " + SafeTensorsReader.MAX_HEADER_BYTES),
          e::getMessage);
    }
  }
}
