package org.gsae.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.gsae.core.error.Errors;

/**
 * The validated JSON header of a safetensors file: every tensor's dtype, shape and byte range,
 * plus the optional {@code __metadata__} string map.
 *
 * <p>Validation treats the header as hostile: it must be a JSON object; every entry needs a
 * known dtype, a shape of non-negative integers and two integer offsets {@code [begin, end]}
 * with {@code begin <= end <= bufferLength}; {@code end - begin} must equal the element count
 * times the dtype size (computed without overflow); no two non-empty byte ranges may share a
 * byte. The buffer need not be fully covered. Unknown keys inside an entry are ignored.
 */
public final class SafeTensorsHeader {
  /** The reserved key of the free-form string map. */
  public static final String METADATA_KEY = "__metadata__";

  static final String FIX = "the file is damaged or is not a safetensors file; re-create it "
      + "(for example with gsae or safetensors.torch.save_file)";

  private final Map<String, TensorEntry> entries;
  private final Map<String, String> metadata;

  private SafeTensorsHeader(Map<String, TensorEntry> entries, Map<String, String> metadata) {
    this.entries = Collections.unmodifiableMap(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
  }

  /**
   * Parses and validates a header.
   *
   * @param json         the header bytes (UTF-8 JSON, possibly padded with trailing spaces)
   * @param bufferLength bytes of the data buffer that follows the header in the file
   * @param source       the file, named in every error
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT naming the file and the tensor/field
   */
  public static SafeTensorsHeader parse(byte[] json, long bufferLength, String source) {
    JsonNode root = Json.parse(json, source, "safetensors header", FIX);
    if (!root.isObject()) {
      throw bad("safetensors header must be a JSON object, found " + root.getNodeType(), source);
    }
    Map<String, TensorEntry> entries = new TreeMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA_KEY)) {
        metadata.putAll(parseMetadata(field.getValue(), source));
      } else {
        entries.put(field.getKey(), parseEntry(field.getKey(), field.getValue(), bufferLength, source));
      }
    }
    checkNoOverlap(entries.values(), source);
    return new SafeTensorsHeader(entries, metadata);
  }

  private static Map<String, String> parseMetadata(JsonNode node, String source) {
    if (!node.isObject()) {
      throw bad(METADATA_KEY + " must be an object of strings, found " + node.getNodeType(), source);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isTextual()) {
        throw bad(METADATA_KEY + " value for key '" + f.getKey() + "' must be a string, found "
            + f.getValue().getNodeType(), source);
      }
      out.put(f.getKey(), f.getValue().textValue());
    }
    return out;
  }

  private static TensorEntry parseEntry(String name, JsonNode node, long bufferLength, String source) {
    String t = "tensor '" + name + "'";
    if (!node.isObject()) {
      throw bad(t + " must be an object with dtype, shape and data_offsets, found "
          + node.getNodeType(), source);
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw bad(t + " has no string field 'dtype'", source);
    }
    SafeTensorsDType dtype = SafeTensorsDType.parse(dtypeNode.textValue()).orElseThrow(() ->
        bad(t + " has unknown dtype '" + dtypeNode.textValue() + "' (known: "
            + List.of(SafeTensorsDType.values()) + ")", source));
    long[] shape = longArray(node.get("shape"), t + " field 'shape'", -1, source);
    long[] offsets = longArray(node.get("data_offsets"), t + " field 'data_offsets'", 2, source);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw bad(t + " has data_offsets [" + begin + ", " + end + "] with begin > end", source);
    }
    if (end > bufferLength) {
      throw bad(t + " has data_offsets [" + begin + ", " + end + "] beyond the data buffer of "
          + bufferLength + " bytes (file truncated?)", source);
    }
    long bytes;
    try {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      bytes = Math.multiplyExact(n, (long) dtype.bytes());
    } catch (ArithmeticException e) {
      throw bad(t + " shape " + Arrays.toString(shape) + " overflows a 64-bit byte count", source);
    }
    if (bytes != end - begin) {
      throw bad(t + " shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes
          + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin), source);
    }
    return new TensorEntry(name, dtype, shape, begin, end);
  }

  /** A JSON array of non-negative integers; {@code length < 0} means any length. */
  private static long[] longArray(JsonNode node, String what, int length, String source) {
    if (node == null || !node.isArray()) {
      throw bad(what + " must be an array of non-negative integers, found "
          + (node == null ? "nothing" : node.getNodeType()), source);
    }
    if (length >= 0 && node.size() != length) {
      throw bad(what + " must have " + length + " entries, found " + node.size(), source);
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw bad(what + " entry " + i + " must be a non-negative 64-bit integer, found " + v, source);
      }
      out[i] = v.longValue();
    }
    return out;
  }

  private static void checkNoOverlap(Iterable<TensorEntry> all, String source) {
    List<TensorEntry> ranges = new ArrayList<>();
    for (TensorEntry e : all) {
      if (e.end() > e.begin()) {
        ranges.add(e);
      }
    }
    ranges.sort(Comparator.comparingLong(TensorEntry::begin));
    for (int i = 1; i < ranges.size(); i++) {
      TensorEntry prev = ranges.get(i - 1);
      TensorEntry cur = ranges.get(i);
      if (cur.begin() < prev.end()) {
        throw bad("tensors '" + prev.name() + "' [" + prev.begin() + ", " + prev.end() + ") and '"
            + cur.name() + "' [" + cur.begin() + ", " + cur.end() + ") overlap in the data buffer",
            source);
      }
    }
  }

  private static RuntimeException bad(String problem, String source) {
    return Errors.invalidInput(problem, source, FIX);
  }

  /** Tensor entries by name, sorted by name. */
  public Map<String, TensorEntry> entries() {
    return entries;
  }

  /** The entry for {@code name}, or null. */
  public TensorEntry entry(String name) {
    return entries.get(name);
  }

  /** The {@code __metadata__} map (empty when absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    return entries.values().stream().map(TensorEntry::toString)
        .collect(Collectors.joining(", ", "{", "}")) + " metadata=" + metadata;
  }
}
