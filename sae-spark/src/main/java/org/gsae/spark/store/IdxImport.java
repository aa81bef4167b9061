package org.gsae.spark.store;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.error.Errors;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.gsae.core.io.HadoopFiles;

/**
 * Image datasets in LeCun's IDX format (MNIST, Fashion-MNIST; {@code .gz} or raw) turned into an
 * activation store: one row per image with {@code activation array<float>} (pixels row-major,
 * scaled to [0, 1]), {@code image_id long} (its index in the file), {@code label int} and, when
 * class names are given, {@code label_name string}. The rows keep the files' order; the store is
 * written atomically and never over an existing path.
 *
 * <p>Formats (big-endian): images {@code 0x00000803, n, height, width, n*h*w unsigned bytes};
 * labels {@code 0x00000801, n, n unsigned bytes}.
 */
public final class IdxImport {
  static final int IMAGES_MAGIC = 0x00000803;
  static final int LABELS_MAGIC = 0x00000801;

  /** The store's columns. */
  public static final StructType SCHEMA = new StructType()
      .add("image_id", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("label_name", DataTypes.StringType, true)
      .add("activation", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  private IdxImport() {}

  /**
   * Images read from an IDX file.
   *
   * @param pixels [count, height * width] row-major, each in [0, 1]
   */
  public record Images(int count, int height, int width, float[] pixels) {}

  /** Reads an images file (gzip is recognised by its magic bytes). */
  public static Images readImages(FileSystem fs, Path file) {
    try (DataInputStream in = open(fs, file)) {
      int magic = in.readInt();
      requireMagic(file, magic, IMAGES_MAGIC, "an IDX images file (magic 0x00000803)");
      int n = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      Errors.check(n >= 0 && h > 0 && w > 0, "%s: bad IDX header n=%d height=%d width=%d", file,
          n, h, w);
      long cells = (long) n * h * w;
      if (cells > Integer.MAX_VALUE - 8) {
        throw Errors.invalidInput("IDX images file holds " + cells + " pixels, more than one import "
            + "can hold", file.toString(), "split the file");
      }
      byte[] raw = new byte[(int) cells];
      in.readFully(raw);
      float[] pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 255f;
      }
      return new Images(n, h, w, pixels);
    } catch (EOFException e) {
      throw Errors.invalidInput("IDX images file ends before the images its header announces",
          file.toString(), "download the file again", e);
    } catch (IOException e) {
      throw Errors.io("reading IDX images", file.toString(), e);
    }
  }

  /** Reads a labels file. */
  public static int[] readLabels(FileSystem fs, Path file) {
    try (DataInputStream in = open(fs, file)) {
      requireMagic(file, in.readInt(), LABELS_MAGIC, "an IDX labels file (magic 0x00000801)");
      int n = in.readInt();
      Errors.check(n >= 0, "%s: bad IDX header n=%d", file, n);
      byte[] raw = new byte[n];
      in.readFully(raw);
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        labels[i] = raw[i] & 0xff;
      }
      return labels;
    } catch (EOFException e) {
      throw Errors.invalidInput("IDX labels file ends before the labels its header announces",
          file.toString(), "download the file again", e);
    } catch (IOException e) {
      throw Errors.io("reading IDX labels", file.toString(), e);
    }
  }

  /**
   * Writes the store.
   *
   * @param labelNames class names indexed by label, or null (no {@code label_name} values)
   * @param files      Parquet files to write
   * @return images written
   */
  public static long write(SparkSession spark, String imagesPath, String labelsPath,
      List<String> labelNames, String output, int files) {
    var conf = spark.sparkContext().hadoopConfiguration();
    Path imagesFile = new Path(imagesPath);
    Path labelsFile = new Path(labelsPath);
    Images images = readImages(HadoopFiles.fileSystem(imagesFile, conf), imagesFile);
    int[] labels = readLabels(HadoopFiles.fileSystem(labelsFile, conf), labelsFile);
    if (labels.length != images.count()) {
      throw Errors.invalidInput(imagesPath + " has " + images.count() + " images but " + labelsPath
          + " has " + labels.length + " labels", labelsPath,
          "pass the labels file that belongs to the images file");
    }
    int d = images.height() * images.width();
    List<Row> rows = new ArrayList<>(images.count());
    for (int i = 0; i < images.count(); i++) {
      int label = labels[i];
      if (labelNames != null && label >= labelNames.size()) {
        throw Errors.invalidInput("image " + i + " has label " + label + " but only "
            + labelNames.size() + " --label-names were given", labelsPath,
            "give one name per class, in label order");
      }
      float[] x = new float[d];
      System.arraycopy(images.pixels(), i * d, x, 0, d);
      rows.add(RowFactory.create((long) i, label, labelNames == null ? null : labelNames.get(label),
          x));
    }
    var table = spark.createDataFrame(rows, SCHEMA)
        .repartitionByRange(files, functions.col("image_id"))
        .sortWithinPartitions("image_id");
    AtomicDirectoryWriter.write(new Path(output), false, conf, (fs, tmp) ->
        table.write().mode(SaveMode.Overwrite).parquet(tmp.toString()));
    return images.count();
  }

  private static DataInputStream open(FileSystem fs, Path file) throws IOException {
    InputStream raw = new BufferedInputStream(fs.open(file), 1 << 16);
    raw.mark(2);
    int b1 = raw.read();
    int b2 = raw.read();
    raw.reset();
    boolean gzip = b1 == 0x1f && b2 == 0x8b;
    return new DataInputStream(new BufferedInputStream(gzip ? new GZIPInputStream(raw, 1 << 16)
        : raw, 1 << 16));
  }

  private static void requireMagic(Path file, int magic, int expected, String what) {
    if (magic != expected) {
      throw Errors.invalidInput(String.format("starts with 0x%08x, not %s", magic, what),
          file.toString(), "pass " + what + " (gzip or raw)");
    }
  }
}
