package org.gsae.core.io;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Random-access bytes of known length: an in-memory array or a Hadoop file. Lets the
 * safetensors reader check a header against the file length and then read one tensor at a
 * time, so a file never has to fit in a single {@code byte[]}.
 */
interface ByteSource extends Closeable {
  /** Total length in bytes. */
  long length();

  /** Reads exactly {@code len} bytes starting at {@code position}. */
  void readFully(long position, byte[] buf, int off, int len) throws IOException;

  /** What to call this source in messages (the file path). */
  String name();

  static ByteSource of(byte[] bytes, String name) {
    return new ByteSource() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public void readFully(long position, byte[] buf, int off, int len) {
        System.arraycopy(bytes, Math.toIntExact(position), buf, off, len);
      }

      @Override
      public String name() {
        return name;
      }

      @Override
      public void close() {}
    };
  }

  static ByteSource open(FileSystem fs, Path path) throws IOException {
    long length = fs.getFileStatus(path).getLen();
    FSDataInputStream in = fs.open(path);
    return new ByteSource() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] buf, int off, int len) throws IOException {
        in.readFully(position, buf, off, len);
      }

      @Override
      public String name() {
        return path.toString();
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
