package org.gsae.jobs.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads gsae's Parquet outputs with parquet-hadoop's own example reader ({@link GroupReadSupport}),
 * not with Spark: what a non-Spark consumer sees. Lists are Parquet's standard three-level
 * {@code LIST} groups ({@code <name> (LIST) { repeated group list { element } }}).
 */
final class ParquetFiles {
  private ParquetFiles() {}

  /** The data files of a dataset directory, sorted by name (hidden and {@code _} files skipped). */
  static List<Path> parts(Path dataset) {
    try (Stream<Path> s = Files.list(dataset)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith(".")
              && !p.getFileName().toString().startsWith("_"))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every record of every part file of {@code dataset}, in file order. */
  static List<Group> read(Path dataset) {
    List<Group> out = new ArrayList<>();
    for (Path part : parts(dataset)) {
      try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
          new org.apache.hadoop.fs.Path(part.toUri())).build()) {
        for (Group g = r.read(); g != null; g = r.read()) {
          out.add(g);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The Parquet schema of the first part file of {@code dataset}. */
  static MessageType schema(Path dataset) {
    Path first = parts(dataset).get(0);
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(first.toUri()), new Configuration()))) {
      return r.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The primitive type of a top-level column. */
  static PrimitiveTypeName primitive(MessageType schema, String column) {
    return schema.getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  /** The element type of a top-level {@code LIST} column, checking the list structure. */
  static PrimitiveTypeName listElement(MessageType schema, String column) {
    Type t = schema.getType(column);
    if (!(t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
      throw new AssertionError(column + " is not a LIST: " + t);
    }
    Type repeated = t.asGroupType().getType(0);
    if (!repeated.isRepetition(Type.Repetition.REPEATED)) {
      throw new AssertionError(column + " has no repeated group: " + t);
    }
    return repeated.asGroupType().getType(0).asPrimitiveType().getPrimitiveTypeName();
  }

  /** A {@code LIST<int>} cell. */
  static int[] ints(Group g, String column) {
    Group list = g.getGroup(column, 0);
    int n = list.getFieldRepetitionCount(0);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(0, i).getInteger(0, 0);
    }
    return out;
  }

  /** A {@code LIST<float>} cell. */
  static float[] floats(Group g, String column) {
    Group list = g.getGroup(column, 0);
    int n = list.getFieldRepetitionCount(0);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup(0, i).getFloat(0, 0);
    }
    return out;
  }
}
