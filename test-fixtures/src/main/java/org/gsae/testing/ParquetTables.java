package org.gsae.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads gsae's Parquet outputs in the test JVM with parquet-hadoop's example reader
 * ({@link GroupReadSupport}), not with Spark: what any Parquet consumer sees. A dataset is a
 * directory of part files (names starting with {@code _} or {@code .} skipped, as Spark does)
 * or a single file, named by a URI string or a local path. Lists are Parquet's standard
 * three-level {@code LIST} groups ({@code <name> (LIST) { repeated group list { element } }}).
 */
public final class ParquetTables {
  private static final Configuration CONF = new Configuration();

  private ParquetTables() {}

  /** The data files of {@code dataset}, sorted by name. */
  public static List<Path> dataFiles(String dataset) {
    Path p = new Path(dataset);
    try {
      FileSystem fs = p.getFileSystem(CONF);
      FileStatus s = fs.getFileStatus(p);
      if (!s.isDirectory()) {
        return List.of(s.getPath());
      }
      return Arrays.stream(fs.listStatus(p))
          .filter(FileStatus::isFile)
          .map(FileStatus::getPath)
          .filter(f -> f.getName().endsWith(".parquet"))
          .filter(f -> !f.getName().startsWith("_") && !f.getName().startsWith("."))
          .sorted(Comparator.comparing(Path::getName))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dataset, e);
    }
  }

  /** Rows of {@code dataset}, from the footers' row-group counts. */
  public static long rowCount(String dataset) {
    long n = 0;
    for (Path f : dataFiles(dataset)) {
      try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(f, CONF))) {
        for (BlockMetaData b : r.getFooter().getBlocks()) {
          n += b.getRowCount();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the footer of " + f, e);
      }
    }
    return n;
  }

  /** The schema of the first data file of {@code dataset}. */
  public static MessageType schema(String dataset) {
    Path first = dataFiles(dataset).get(0);
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(first, CONF))) {
      return r.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the footer of " + first, e);
    }
  }

  /** {@link #schema(String)} of a local dataset. */
  public static MessageType schema(java.nio.file.Path dataset) {
    return schema(dataset.toUri().toString());
  }

  /** Every record of {@code dataset}, part files in name order. */
  public static List<Group> read(String dataset) {
    List<Group> out = new ArrayList<>();
    for (Path f : dataFiles(dataset)) {
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), f)
          .withConf(CONF).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          out.add(g);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return out;
  }

  /** {@link #read(String)} of a local dataset. */
  public static List<Group> read(java.nio.file.Path dataset) {
    return read(dataset.toUri().toString());
  }

  /** The primitive type of a top-level column. */
  public static PrimitiveTypeName primitive(MessageType schema, String column) {
    return schema.getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  /** The element type of a top-level {@code LIST} column, checking the list structure. */
  public static PrimitiveTypeName listElement(MessageType schema, String column) {
    Type t = schema.getType(column);
    if (!(t.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
      throw new AssertionError(column + " is not a LIST: " + t);
    }
    Type repeated = t.asGroupType().getType(0);
    if (!repeated.isRepetition(Type.Repetition.REPEATED)) {
      throw new AssertionError(column + " has no repeated group: " + t);
    }
    return repeated.asGroupType().getType(0).asPrimitiveType().getPrimitiveTypeName();
  }

  /** A {@code LIST<int>} cell; empty for a null cell. */
  public static int[] ints(Group g, String column) {
    if (g.getFieldRepetitionCount(column) == 0) {
      return new int[0];
    }
    Group list = g.getGroup(column, 0);
    int[] out = new int[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup(0, i).getInteger(0, 0);
    }
    return out;
  }

  /** A {@code LIST<float>} cell; empty for a null cell. */
  public static float[] floats(Group g, String column) {
    if (g.getFieldRepetitionCount(column) == 0) {
      return new float[0];
    }
    Group list = g.getGroup(column, 0);
    float[] out = new float[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup(0, i).getFloat(0, 0);
    }
    return out;
  }

  /** A {@code LIST<long>} cell; empty for a null cell. */
  public static long[] longs(Group g, String column) {
    if (g.getFieldRepetitionCount(column) == 0) {
      return new long[0];
    }
    Group list = g.getGroup(column, 0);
    long[] out = new long[list.getFieldRepetitionCount(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.getGroup(0, i).getLong(0, 0);
    }
    return out;
  }
}
