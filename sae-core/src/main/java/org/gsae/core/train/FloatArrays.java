package org.gsae.core.train;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * Bulk (de)serialisation of float arrays for the objects Spark ships every step: Java
 * serialisation writes a {@code float[]} value by value, which for a 37M-float gradient costs
 * more than computing it. Here the array goes through one little-endian byte copy.
 */
public final class FloatArrays {
  /**
   * Floats converted per write: a 64 KB buffer that stays in cache between the conversion and
   * the stream's copy. Measured against 4 MB (Spark's task-result path, 768 x 24576 gradient,
   * one thread): serialisation 83-105 to 59-78 ms, deserialisation 109-250 to 85-117 ms
   * (README "Performance").
   */
  static final int CHUNK = 1 << 14;

  private FloatArrays() {}

  /** Writes the length (or -1 for null) then the values. */
  public static void write(ObjectOutput out, float[] a) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(a.length);
    byte[] buf = new byte[Math.min(a.length, CHUNK) * 4];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < a.length; off += CHUNK) {
      int n = Math.min(CHUNK, a.length - off);
      bb.clear();
      bb.asFloatBuffer().put(a, off, n);
      out.write(buf, 0, n * 4);
    }
  }

  /** Reads what {@link #write} wrote. */
  public static float[] read(ObjectInput in) throws IOException {
    int len = in.readInt();
    if (len < 0) {
      return null;
    }
    float[] a = new float[len];
    readValues(in, a);
    return a;
  }

  /** Reads what {@link #write} wrote into {@code dst}, which must have the written length. */
  public static void readInto(ObjectInput in, float[] dst) throws IOException {
    int len = in.readInt();
    if (len != dst.length) {
      throw new InvalidObjectException("expected " + dst.length + " floats, the stream holds "
          + len);
    }
    readValues(in, dst);
  }

  private static void readValues(ObjectInput in, float[] a) throws IOException {
    int len = a.length;
    byte[] buf = new byte[Math.min(len, CHUNK) * 4];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int off = 0; off < len; off += CHUNK) {
      int n = Math.min(CHUNK, len - off);
      in.readFully(buf, 0, n * 4);
      bb.clear();
      bb.asFloatBuffer().get(a, off, n);
    }
  }

  /** Writes float32 parameters (or a gradient shaped like them): d_in, d_sae, then the six arrays in bulk. */
  public static void writeParameters(ObjectOutput out, SaeParameters p) throws IOException {
    out.writeInt(p.dIn());
    out.writeInt(p.dSae());
    writeTensors(out, p.tensors());
  }

  /** Reads what {@link #writeParameters} wrote, into fresh float32 arrays. */
  public static SaeParameters readParameters(ObjectInput in) throws IOException {
    int dIn = in.readInt();
    int dSae = in.readInt();
    return SaeParameters.fromList(
        readTensors(in, SaeParameters.shapes(dIn, dSae)));
  }

  /** Writes float32 tensors' values in bulk, one {@link #write} each (their shapes are the reader's to know). */
  public static void writeTensors(ObjectOutput out, List<Tensor> tensors)
      throws IOException {
    for (Tensor t : tensors) {
      write(out, t.floatView());
    }
  }

  /** Reads what {@link #writeTensors} wrote into fresh float32 tensors of the given shapes. */
  public static List<Tensor> readTensors(ObjectInput in, long[]... shapes)
      throws IOException {
    List<Tensor> out = new ArrayList<>(shapes.length);
    for (long[] shape : shapes) {
      Tensor t = Tensor.zeros(
          DType.FLOAT32, shape);
      readInto(in, t.floatView());
      out.add(t);
    }
    return out;
  }
}
