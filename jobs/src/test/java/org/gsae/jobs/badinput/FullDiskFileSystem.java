package org.gsae.jobs.badinput;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local disk under the scheme {@code full:}, behaving as a disk with almost no space left:
 * a file may take {@value #FREE_BYTES} bytes, and the next byte written fails the way Hadoop's
 * local file system reports a full disk, with an {@link FSError} wrapping
 * "No space left on device". Registered for a test with {@code spark.hadoop.fs.full.impl}.
 */
public final class FullDiskFileSystem extends RawLocalFileSystem {
  static final int FREE_BYTES = 1024;
  private static final URI NAME = URI.create("full:///");

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(URI.create("file:///"), conf);
  }

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return "full";
  }

  @Override
  public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress) throws IOException {
    FSDataOutputStream real = super.create(f, permission, overwrite, bufferSize, replication,
        blockSize, progress);
    return new FSDataOutputStream(new Limited(real), null);
  }

  @Override
  public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication,
      long blockSize, Progressable progress) throws IOException {
    return create(f, FsPermission.getFileDefault(), overwrite, bufferSize, replication, blockSize,
        progress);
  }

  /** What Hadoop's local stream throws on ENOSPC (its constructor is package-private). */
  static FSError diskFull() {
    try {
      Constructor<FSError> c = FSError.class.getDeclaredConstructor(Throwable.class);
      c.setAccessible(true);
      return c.newInstance(new IOException("No space left on device"));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make Hadoop's FSError", e);
    }
  }

  /** Fails once more than {@link #FREE_BYTES} bytes were written. */
  private static final class Limited extends OutputStream {
    private final OutputStream out;
    private long written;

    Limited(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (written + len > FREE_BYTES) {
        throw diskFull();
      }
      written += len;
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
