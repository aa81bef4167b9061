package org.gsae.core.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;

/**
 * Writes a safetensors file of F32 and F64 tensors. Output is deterministic: tensors are laid
 * out in name order, the header is compact JSON padded with spaces to a multiple of 8 bytes
 * (so every tensor starts 8-byte aligned, as the reference writer does), values are
 * little-endian row-major.
 *
 * <p>Call order: {@code put*}/{@link #metadata} any number of times, then {@link #writeTo},
 * {@link #toBytes} or {@link #write}. Arrays are not copied; do not modify them before writing.
 */
public final class SafeTensorsWriter {
  /** Writes one F32 tensor's values, in row-major order, to a sink. */
  @FunctionalInterface
  public interface FloatSource {
    void writeTo(TrainerState.FloatSink sink) throws IOException;
  }

  private record Pending(SafeTensorsDType dtype, long[] shape, float[] f32, double[] f64,
      FloatSource source) {
    long values() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    long bytes() {
      return dtype == SafeTensorsDType.F32 ? 4L * values() : 8L * values();
    }
  }

  private static final int CHUNK_BYTES = 1 << 20;

  private final Map<String, Pending> tensors = new TreeMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds an F32 tensor with the given row-major {@code shape}. */
  public SafeTensorsWriter putFloats(String name, float[] values, long... shape) {
    checkName(name);
    checkShape(name, shape, values.length);
    tensors.put(name, new Pending(SafeTensorsDType.F32, shape.clone(), values, null, null));
    return this;
  }

  /**
   * Adds an F32 tensor whose values {@code source} streams when the file is written (at most
   * one chunk of it is held here): for tensors held in pieces elsewhere.
   */
  public SafeTensorsWriter putFloats(String name, long[] shape, FloatSource source) {
    checkName(name);
    checkShape(name, shape, -1);
    tensors.put(name, new Pending(SafeTensorsDType.F32, shape.clone(), null, null, source));
    return this;
  }

  /** Adds an F32 tensor. */
  public SafeTensorsWriter putFloats(String name, ShapedFloats t) {
    return putFloats(name, t.values(), t.shape());
  }

  /** Adds an F64 tensor with the given row-major {@code shape}. */
  public SafeTensorsWriter putDoubles(String name, double[] values, long... shape) {
    checkName(name);
    checkShape(name, shape, values.length);
    tensors.put(name, new Pending(SafeTensorsDType.F64, shape.clone(), null, values, null));
    return this;
  }

  /** Adds one {@code __metadata__} entry. */
  public SafeTensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  private void checkName(String name) {
    if (name == null || name.equals(SafeTensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("invalid tensor name " + name);
    }
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException("tensor '" + name + "' added twice");
    }
  }

  /** {@code length} -1: any (a streamed tensor, counted when written). */
  private static void checkShape(String name, long[] shape, int length) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has negative dimension in "
            + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (length >= 0 && n != length) {
      throw new IllegalArgumentException("tensor '" + name + "' shape " + Arrays.toString(shape)
          + " needs " + n + " values, got " + length);
    }
  }

  /** The header bytes, space-padded to a multiple of 8. */
  private byte[] headerBytes() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafeTensorsHeader.METADATA_KEY);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      Pending p = e.getValue();
      ObjectNode t = root.putObject(e.getKey());
      t.put("dtype", p.dtype().name());
      ArrayNode shape = t.putArray("shape");
      for (long d : p.shape()) {
        shape.add(d);
      }
      t.putArray("data_offsets").add(offset).add(offset + p.bytes());
      offset += p.bytes();
    }
    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  /** Streams the file to {@code out} (not closed). */
  public void writeTo(OutputStream out) throws IOException {
    byte[] header = headerBytes();
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    out.write(header);
    byte[] chunk = new byte[CHUNK_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (Map.Entry<String, Pending> e : tensors.entrySet()) {
      Pending p = e.getValue();
      if (p.f64() != null) {
        double[] v = p.f64();
        for (int done = 0; done < v.length; ) {
          int k = Math.min(CHUNK_BYTES / 8, v.length - done);
          buf.clear();
          buf.asDoubleBuffer().put(v, done, k);
          out.write(chunk, 0, 8 * k);
          done += k;
        }
        continue;
      }
      long[] written = {0};
      TrainerState.FloatSink sink = (v, off, len) -> {
        for (int done = 0; done < len; ) {
          int k = Math.min(CHUNK_BYTES / 4, len - done);
          buf.clear();
          buf.asFloatBuffer().put(v, off + done, k);
          out.write(chunk, 0, 4 * k);
          done += k;
        }
        written[0] += len;
      };
      if (p.f32() != null) {
        sink.write(p.f32(), 0, p.f32().length);
      } else {
        p.source().writeTo(sink);
      }
      if (written[0] != p.values()) {
        throw new IllegalStateException("tensor '" + e.getKey() + "' of shape "
            + Arrays.toString(p.shape()) + " needs " + p.values() + " values, its source wrote "
            + written[0]);
      }
    }
  }

  /** The whole file in memory (for tests and small files). */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("in-memory write failed", e);
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code path} on {@code fs}, failing if it exists. Not atomic by itself: call it
   * inside {@link AtomicDirectoryWriter} (or write to a temporary name and rename).
   */
  public void write(FileSystem fs, Path path) {
    try (FSDataOutputStream out = fs.create(path, false)) {
      writeTo(out);
    } catch (IOException e) {
      throw Errors.io("writing safetensors file", path.toString(), e);
    }
  }
}
