package org.gsae.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * Reads a safetensors file: 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * header, then the data buffer (tensor offsets are relative to its start; values row-major,
 * little-endian). The file is treated as untrusted: the header length is bounded by
 * {@link #MAX_HEADER_BYTES} and by the file length, and the header is fully validated (see
 * {@link SafeTensorsHeader}) before any tensor is read. Every problem is a
 * {@link GsaeException} with code INVALID_INPUT naming the file and the tensor or field;
 * storage failures are code IO.
 *
 * <p>Call order: {@code open} → {@link #header()} / {@code read*} any number of times →
 * {@link #close()}. Not thread-safe.
 */
public final class SafeTensorsReader implements AutoCloseable {
  /** Largest header accepted (the reference implementation uses the same bound). */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final int CHUNK_BYTES = 1 << 20;

  private final ByteSource source;
  private final SafeTensorsHeader header;
  private final long dataStart;

  private SafeTensorsReader(ByteSource source) throws IOException {
    this.source = source;
    long fileLength = source.length();
    if (fileLength < 8) {
      throw bad("file is truncated: " + fileLength + " bytes, but the header length field alone "
          + "takes 8");
    }
    byte[] lenBytes = new byte[8];
    readFully(0, lenBytes, "header length");
    long n = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    // Compare as unsigned: a huge value would be negative as a signed long.
    if (Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
      throw bad("header length " + Long.toUnsignedString(n) + " bytes exceeds the limit of "
          + MAX_HEADER_BYTES + " bytes");
    }
    if (n > fileLength - 8) {
      throw bad("header length " + n + " bytes is larger than the " + (fileLength - 8)
          + " bytes that follow the length field (file truncated or not safetensors)");
    }
    byte[] json = new byte[(int) n];
    readFully(8, json, "header");
    this.dataStart = 8 + n;
    this.header = SafeTensorsHeader.parse(json, fileLength - dataStart, source.name());
  }

  /** Opens an in-memory safetensors image; {@code name} is used in messages. */
  public static SafeTensorsReader open(byte[] bytes, String name) {
    try {
      return new SafeTensorsReader(ByteSource.of(bytes, name));
    } catch (IOException e) {
      throw Errors.io("reading safetensors bytes", name, e); // cannot happen for an array
    }
  }

  /** Opens a file through Hadoop's FileSystem (any scheme). */
  public static SafeTensorsReader open(Path path, Configuration conf) {
    return open(HadoopFiles.fileSystem(path, conf), path);
  }

  /** Opens a file on the given FileSystem. */
  public static SafeTensorsReader open(FileSystem fs, Path path) {
    ByteSource src;
    try {
      src = ByteSource.open(fs, path);
    } catch (IOException e) {
      throw Errors.io("opening safetensors file", path.toString(), e);
    }
    try {
      return new SafeTensorsReader(src);
    } catch (IOException | RuntimeException e) {
      closeQuietly(src, e);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw Errors.io("reading safetensors header", path.toString(), e);
    }
  }

  /** The validated header. */
  public SafeTensorsHeader header() {
    return header;
  }

  /** The file this reader reads, as named in messages. */
  public String sourceName() {
    return source.name();
  }

  /** The entry for {@code name}; INVALID_INPUT naming the tensor if there is none. */
  public TensorEntry entry(String name) {
    TensorEntry e = header.entry(name);
    if (e == null) {
      throw bad("safetensors file has no tensor '" + name + "' (it has " + header.entries().keySet() + ")");
    }
    return e;
  }

  /** The values of an F32 tensor, row-major, bit-exact. Any other dtype is an error. */
  public float[] readFloats(String name) {
    TensorEntry e = entry(name);
    requireDtype(e, SafeTensorsDType.F32, "; read it with readDoubles or readFloatsConverted");
    return decodeFloats(e);
  }

  /** The values of an F32 tensor, or of an F64 tensor rounded to float (to nearest). */
  public float[] readFloatsConverted(String name) {
    TensorEntry e = entry(name);
    if (e.dtype() == SafeTensorsDType.F64) {
      double[] d = decodeDoubles(e);
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    requireDtype(e, SafeTensorsDType.F32, "");
    return decodeFloats(e);
  }

  /** The values of an F64 tensor, or of an F32 tensor widened exactly to double. */
  public double[] readDoubles(String name) {
    TensorEntry e = entry(name);
    if (e.dtype() == SafeTensorsDType.F32) {
      float[] f = decodeFloats(e);
      double[] d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
      return d;
    }
    requireDtype(e, SafeTensorsDType.F64, "");
    return decodeDoubles(e);
  }

  private void requireDtype(TensorEntry e, SafeTensorsDType want, String hint) {
    if (e.dtype() != want) {
      throw bad("tensor '" + e.name() + "' has dtype " + e.dtype() + ", expected " + want
          + (e.dtype().isReadable() ? hint : " (gsae reads only F32 and F64; convert the tensor)"));
    }
  }

  private int checkedCount(TensorEntry e) {
    long n = e.elementCount();
    if (n > Integer.MAX_VALUE - 8) {
      throw bad("tensor '" + e.name() + "' has " + n + " elements, more than a Java array holds");
    }
    return (int) n;
  }

  /**
   * Values {@code [from, from + length)} of an F32 tensor (flat, row-major) into
   * {@code dst[offset, offset + length)}, reading only their bytes.
   */
  public void readFloats(String name, long from, float[] dst, int offset, int length) {
    TensorEntry e = entry(name);
    requireDtype(e, SafeTensorsDType.F32, "");
    if (from < 0 || length < 0 || from + length > e.elementCount()) {
      throw new IndexOutOfBoundsException("values [" + from + ", " + (from + length)
          + ") of tensor '" + name + "' of " + e.elementCount() + " values");
    }
    decodeFloats(e, from, dst, offset, length);
  }

  /** Receives a tensor's values a chunk at a time ({@link #streamFloats}). */
  @FunctionalInterface
  public interface FloatChunks {
    /** {@code values[0, length)} are the tensor's values from flat index {@code from} on. */
    void accept(long from, float[] values, int length) throws IOException;
  }

  /**
   * All values of an F32 tensor, in order, in chunks of at most 2^20 values through one buffer
   * (the receiver must copy what it keeps): a tensor of any size without holding it.
   */
  public void streamFloats(String name, FloatChunks chunks) throws IOException {
    long n = entry(name).elementCount();
    float[] chunk = new float[(int) Math.min(n, 1 << 20)];
    for (long from = 0; from < n; from += chunk.length) {
      int len = (int) Math.min(chunk.length, n - from);
      readFloats(name, from, chunk, 0, len);
      chunks.accept(from, chunk, len);
    }
  }

  private float[] decodeFloats(TensorEntry e) {
    float[] out = new float[checkedCount(e)];
    decodeFloats(e, 0, out, 0, out.length);
    return out;
  }

  private void decodeFloats(TensorEntry e, long from, float[] out, int offset, int length) {
    int per = CHUNK_BYTES / 4;
    byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, length * 4L)];
    for (int done = 0; done < length; ) {
      int k = Math.min(per, length - done);
      readFully(dataStart + e.begin() + 4L * (from + done), buf, k * 4,
          "tensor '" + e.name() + "'");
      ByteBuffer.wrap(buf, 0, k * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .get(out, offset + done, k);
      done += k;
    }
  }

  private double[] decodeDoubles(TensorEntry e) {
    double[] out = new double[checkedCount(e)];
    int per = CHUNK_BYTES / 8;
    byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, out.length * 8L)];
    for (int done = 0; done < out.length; ) {
      int k = Math.min(per, out.length - done);
      readFully(dataStart + e.begin() + 8L * done, buf, k * 8, "tensor '" + e.name() + "'");
      ByteBuffer.wrap(buf, 0, k * 8).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out, done, k);
      done += k;
    }
    return out;
  }

  private void readFully(long position, byte[] buf, String what) {
    readFully(position, buf, buf.length, what);
  }

  private void readFully(long position, byte[] buf, int len, String what) {
    try {
      source.readFully(position, buf, 0, len);
    } catch (EOFException e) {
      // The length was checked up front, so the file changed underneath us.
      throw Errors.invalidInput("file ended while reading " + what + " (truncated while open?)",
          source.name(), SafeTensorsHeader.FIX, e);
    } catch (IOException e) {
      throw Errors.io("reading " + what + " of a safetensors file", source.name(), e);
    }
  }

  private GsaeException bad(String problem) {
    return Errors.invalidInput(problem, source.name(), SafeTensorsHeader.FIX);
  }

  private static void closeQuietly(AutoCloseable c, Throwable primary) {
    try {
      c.close();
    } catch (Exception suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  /** Closes the underlying file. */
  @Override
  public void close() {
    try {
      source.close();
    } catch (IOException e) {
      throw Errors.io("closing safetensors file", source.name(), e);
    }
  }
}
