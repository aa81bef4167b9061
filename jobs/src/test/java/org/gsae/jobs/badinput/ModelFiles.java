package org.gsae.jobs.badinput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.model.SaeInit;

/**
 * Model directories for the CLI tests: a good one written by {@link ModelDirectory#save}, then
 * damaged with plain file operations the way a bad copy, a hand edit or another tool would.
 */
final class ModelFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /** Writes a valid model directory of width {@code dIn} x {@code dSae} at {@code dir}. */
  static Path save(Path dir, int dIn, int dSae) {
    ModelDirectory.save(new org.apache.hadoop.fs.Path(dir.toUri()),
        SaeInit.initialize(dIn, dSae, 7L, null), ModelInfo.empty());
    return dir;
  }

  static Path weights(Path dir) {
    return dir.resolve(ModelDirectory.WEIGHTS_FILE);
  }

  static Path cfg(Path dir) {
    return dir.resolve(ModelDirectory.CFG_FILE);
  }

  /** Sets top-level key {@code key} of cfg.json to the JSON value {@code json}. */
  static void editCfg(Path dir, String key, String json) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(cfg(dir)));
      root.set(key, JSON.readTree(json));
      Files.write(cfg(dir), JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The safetensors header length field (first 8 bytes, little-endian). */
  static long headerLength(byte[] file) {
    return ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** {@code file} with its header length field set to {@code n}. */
  static byte[] withHeaderLength(byte[] file, long n) {
    byte[] out = file.clone();
    ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
    return out;
  }

  /**
   * Rewrites the JSON header of the weights file through {@code edit}, keeping the data buffer
   * and fixing up the length field, so only what {@code edit} changes is wrong.
   */
  static void editHeader(Path dir, Consumer<ObjectNode> edit) {
    try {
      byte[] file = Files.readAllBytes(weights(dir));
      int n = (int) headerLength(file);
      ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(file, 8, 8 + n));
      edit.accept(header);
      byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
      byte[] data = Arrays.copyOfRange(file, 8 + n, file.length);
      ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
      out.putLong(json.length).put(json).put(data);
      Files.write(weights(dir), out.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The tensor entry {@code name} of a header (an object with dtype, shape, data_offsets). */
  static ObjectNode entry(ObjectNode header, String name) {
    return (ObjectNode) header.get(name);
  }

  /** Sets a tensor's data_offsets. */
  static void offsets(ObjectNode header, String name, long begin, long end) {
    entry(header, name).putArray("data_offsets").add(begin).add(end);
  }

  /** {@code [begin, end]} of a tensor. */
  static long[] offsetsOf(ObjectNode header, String name) {
    var o = entry(header, name).get("data_offsets");
    return new long[] {o.get(0).longValue(), o.get(1).longValue()};
  }
}
