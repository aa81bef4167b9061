package org.gsae.jobs.badinput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.gsae.testing.StoreValues;

/**
 * Parquet activation stores for the CLI tests, written with parquet-mr directly so a test
 * needs no SparkSession of its own (the {@code train} runner starts and stops one) and can
 * write what Spark's writer would refuse or normalise: null elements, NaN, infinities, rows of
 * the wrong width, other column types. Row {@code g} has {@code example_id = g},
 * {@code token = "t" + g} and activation element {@code j} = {@link #value(long, int)}.
 */
final class StoreFiles {
  /** Width of every valid row. */
  static final int D_IN = 4;

  private StoreFiles() {}

  /** Element {@code j} of row {@code g}: {@link StoreValues#value(long, int)}. */
  static float value(long g, int j) {
    return StoreValues.value(g, j);
  }

  /** Row {@code g} as a valid {@code [D_IN]} vector. */
  static Float[] valid(long g) {
    Float[] v = new Float[D_IN];
    for (int j = 0; j < D_IN; j++) {
      v[j] = value(g, j);
    }
    return v;
  }

  /** Valid rows {@code from .. from + count - 1}. */
  static List<Float[]> validRows(long from, int count) {
    List<Float[]> rows = new ArrayList<>();
    for (long g = from; g < from + count; g++) {
      rows.add(valid(g));
    }
    return rows;
  }

  private static String listOf(String column, String element) {
    return "optional group " + column + " (LIST) { repeated group list { optional " + element
        + " element; } }";
  }

  private static MessageType schema(String activationField) {
    return MessageTypeParser.parseMessageType("message store { optional int64 example_id; "
        + "optional binary token (STRING); " + activationField + " }");
  }

  /**
   * One file whose {@code activation} column is {@code array<float>}; row {@code i} gets
   * {@code example_id = firstId + i}. A null row is a null vector, a null element a null
   * inside the array.
   */
  static void floats(Path file, long firstId, List<Float[]> rows) {
    write(file, schema(listOf("activation", "float")), rows.size(), (g, i) -> {
      Float[] v = rows.get(i);
      if (v != null) {
        Group act = g.addGroup("activation");
        for (Float f : v) {
          Group slot = act.addGroup("list");
          if (f != null) {
            slot.append("element", f);
          }
        }
      }
    }, firstId);
  }

  /** One file whose {@code activation} column is {@code array<double>} of valid rows. */
  static void doubles(Path file, long firstId, int count) {
    write(file, schema(listOf("activation", "double")), count, (g, i) -> {
      Group act = g.addGroup("activation");
      for (Float f : valid(firstId + i)) {
        act.addGroup("list").append("element", (double) f);
      }
    }, firstId);
  }

  /** One file of {@code count} valid rows whose vector column is named {@code column}. */
  static void floatsNamed(Path file, String column, int count) {
    write(file, schema(listOf(column, "float")), count, (g, i) -> {
      Group act = g.addGroup(column);
      for (Float f : valid(i)) {
        act.addGroup("list").append("element", f);
      }
    }, 0);
  }

  /** Valid rows plus an int metadata column named {@code extra} (row i holds i). */
  static void floatsWithColumn(Path file, String extra, int count) {
    MessageType schema = MessageTypeParser.parseMessageType("message store { optional int64 example_id; "
        + "optional binary token (STRING); optional int32 " + extra + "; "
        + listOf("activation", "float") + " }");
    write(file, schema, count, (g, i) -> {
      g.append(extra, i);
      Group act = g.addGroup("activation");
      for (Float f : valid(i)) {
        act.addGroup("list").append("element", f);
      }
    }, 0);
  }

  /** One file whose {@code activation} column is a {@code string}. */
  static void strings(Path file, int count) {
    write(file, schema("optional binary activation (STRING);"), count,
        (g, i) -> g.append("activation", "1.0,2.0,3.0,4.0"), 0);
  }

  /** One file whose {@code activation} column is an {@code int}. */
  static void ints(Path file, int count) {
    write(file, schema("optional int32 activation;"), count, (g, i) -> g.append("activation", i), 0);
  }

  private interface RowFiller {
    void fill(Group g, int i);
  }

  private static void write(Path file, MessageType schema, int count, RowFiller filler,
      long firstId) {
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w = ExampleParquetWriter
        .builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withType(schema).withConf(new Configuration()).build()) {
      for (int i = 0; i < count; i++) {
        Group g = groups.newGroup().append("example_id", firstId + i).append("token", "t" + (firstId + i));
        filler.fill(g, i);
        w.write(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
