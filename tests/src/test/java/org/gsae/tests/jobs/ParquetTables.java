package org.gsae.tests.jobs;

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
import org.apache.parquet.schema.MessageType;

/**
 * Reads gsae's Parquet outputs in the test JVM with parquet-hadoop's example reader, not with
 * Spark: what any Parquet consumer sees. A dataset is a directory of part files (names
 * starting with {@code _} or {@code .} skipped, as Spark does) or a single file.
 */
final class ParquetTables {
  private static final Configuration CONF = new Configuration();

  private ParquetTables() {}

  /** The data files of {@code datasetUri}, sorted by name. */
  static List<Path> dataFiles(String datasetUri) {
    Path p = new Path(datasetUri);
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
      throw new UncheckedIOException("cannot list " + datasetUri, e);
    }
  }

  /** Rows of {@code datasetUri}, from the footers' row-group counts. */
  static long rowCount(String datasetUri) {
    long n = 0;
    for (Path f : dataFiles(datasetUri)) {
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

  /** The schema of the first data file of {@code datasetUri}. */
  static MessageType schema(String datasetUri) {
    Path first = dataFiles(datasetUri).get(0);
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(first, CONF))) {
      return r.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the footer of " + first, e);
    }
  }

  /** Every record of {@code datasetUri}, part files in name order. */
  static List<Group> read(String datasetUri) {
    List<Group> out = new ArrayList<>();
    for (Path f : dataFiles(datasetUri)) {
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

  /** A {@code LIST<int>} cell (three-level layout: {@code <col> { repeated group list { element } }}). */
  static int[] ints(Group g, String column) {
    if (g.getFieldRepetitionCount(column) == 0) {
      return new int[0];
    }
    Group list = g.getGroup(column, 0);
    int n = list.getFieldRepetitionCount(0);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(0, i).getInteger(0, 0);
    }
    return out;
  }

  /** A {@code LIST<float>} cell (three-level layout). */
  static float[] floats(Group g, String column) {
    if (g.getFieldRepetitionCount(column) == 0) {
      return new float[0];
    }
    Group list = g.getGroup(column, 0);
    int n = list.getFieldRepetitionCount(0);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(0, i).getFloat(0, 0);
    }
    return out;
  }
}
