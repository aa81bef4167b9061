package org.gsae.core.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;

/**
 * {@code sparsity.safetensors}, as SAELens stores feature firing rates: one F32 tensor
 * {@code sparsity [d_sae]} holding {@code log10(frequency + 1e-10)}, where frequency is the
 * fraction of input rows on which the feature fired (so a dead feature reads -10).
 */
public final class SparsityFile {
  /** The file name. */
  public static final String FILE = "sparsity.safetensors";
  /** The tensor name. */
  public static final String TENSOR = "sparsity";
  /** Added before the logarithm so that dead features are finite. */
  public static final double EPSILON = 1e-10;

  private SparsityFile() {}

  /** {@code log10(frequency + 1e-10)} per feature, computed in double and rounded to float. */
  public static float[] logSparsity(double[] frequency) {
    float[] out = new float[frequency.length];
    for (int j = 0; j < frequency.length; j++) {
      double f = frequency[j];
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException("firing frequency of feature " + j
            + " must be in [0, 1], got " + f);
      }
      out[j] = (float) Math.log10(f + EPSILON);
    }
    return out;
  }

  private static SafeTensorsWriter writer(double[] frequency) {
    return new SafeTensorsWriter().putFloats(TENSOR, logSparsity(frequency), frequency.length);
  }

  /**
   * Writes {@code dir/sparsity.safetensors}, replacing an existing one (via a temporary file
   * and a rename, see {@link AtomicFileWriter}).
   *
   * @param frequency firing frequency per feature [d_sae], each in [0, 1]
   * @param conf      Hadoop configuration, or null for {@code new Configuration()}
   */
  public static void write(Path dir, double[] frequency, Configuration conf) {
    SafeTensorsWriter w = writer(frequency);
    AtomicFileWriter.write(new Path(dir, FILE), conf, w::writeTo);
  }

  /** Writes {@code dir/sparsity.safetensors} inside a directory being built by {@link AtomicDirectoryWriter}. */
  public static void writeInto(FileSystem fs, Path dir, double[] frequency) {
    writer(frequency).write(fs, new Path(dir, FILE));
  }

  /**
   * Reads {@code dir/sparsity.safetensors}.
   *
   * @return {@code log10(frequency + 1e-10)} per feature [d_sae]
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT if the file is missing or the
   *     tensor is not a 1-D F32 {@code sparsity}
   */
  public static float[] read(Path dir, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(dir, conf);
    Path p = fs.makeQualified(new Path(dir, FILE));
    if (!HadoopFiles.isFile(fs, p)) {
      throw Errors.invalidInput("no " + FILE + " in the directory", p.toString(),
          "run the analyze command to create it");
    }
    try (SafeTensorsReader r = SafeTensorsReader.open(fs, p)) {
      TensorEntry e = r.entry(TENSOR);
      if (e.shape().length != 1) {
        throw Errors.invalidInput("tensor '" + TENSOR + "' has shape " + e.shapeString()
            + ", expected [d_sae]", p.toString(), "re-create the file with the analyze command");
      }
      return r.readFloats(TENSOR);
    }
  }
}
