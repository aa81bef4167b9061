package org.gsae.spark.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.gsae.core.io.HadoopFiles;
import org.gsae.spark.store.ActivationStore;

/**
 * Sorted rows of an examples table, consumed feature by feature: one Spark job per
 * {@value #FEATURES_PER_READ} features (a filtered, sorted collect; the tables are range
 * partitioned by {@code feature_id}, so Parquet statistics skip the other files), so the
 * driver holds that many features' examples at a time. Not {@code toLocalIterator}, whose
 * task results a cluster with {@code spark.kryo.registrationRequired=true} refuses.
 */
final class ExampleReader {
  static final int FEATURES_PER_READ = 8 * ReportData.CHUNK;
  final List<String> meta;
  private final Dataset<Row> table;
  private final Column[] order;
  private int readEnd;
  private Iterator<Row> rows = Collections.emptyIterator();
  private Row next;

  private ExampleReader(List<String> meta, Dataset<Row> table, Column[] order) {
    this.meta = meta;
    this.table = table;
    this.order = order;
  }

  static ExampleReader open(SparkSession spark, Path table, List<String> order,
      List<String> added) {
    if (!HadoopFiles.exists(HadoopFiles.fileSystem(table, spark.sparkContext()
        .hadoopConfiguration()), table)) {
      // An analysis written before band samples existed: pages show no band samples.
      return new ExampleReader(List.of(), null, null);
    }
    Dataset<Row> df = ActivationStore.readTable(spark, table.toString());
    List<String> meta = new ArrayList<>();
    for (StructField field : df.schema().fields()) {
      if (!added.contains(field.name())) {
        meta.add(field.name());
      }
    }
    return new ExampleReader(meta, df, order.stream().map(functions::col).toArray(Column[]::new));
  }

  /** The rows of feature {@code j}; features must be asked for in ascending order. */
  <T> List<T> take(int j, java.util.function.Function<Row, T> convert) {
    List<T> out = new ArrayList<>();
    if (table == null) {
      return out;
    }
    if (j >= readEnd) {
      int first = j;
      readEnd = first + FEATURES_PER_READ;
      Column feature = functions.col("feature_id");
      rows = table.where(feature.geq(first).and(feature.lt(readEnd))).orderBy(order)
          .collectAsList().iterator();
      next = rows.hasNext() ? rows.next() : null;
    }
    while (next != null && next.getInt(next.fieldIndex("feature_id")) <= j) {
      if (next.getInt(next.fieldIndex("feature_id")) == j) {
        out.add(convert.apply(next));
      }
      next = rows.hasNext() ? rows.next() : null;
    }
    return out;
  }

  /** One example row as JSON: activation, row_id and the metadata columns {@code meta}. */
  static Map<String, Object> example(Row r, List<String> meta) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("activation", r.getFloat(r.fieldIndex("activation")));
    e.put("row_id", r.getLong(r.fieldIndex("row_id")));
    Map<String, Object> m = new LinkedHashMap<>();
    for (String name : meta) {
      m.put(name, jsonValue(r.get(r.fieldIndex(name))));
    }
    e.put("meta", m);
    return e;
  }

  /** A Parquet value as JSON: arrays as lists, binary as its size, structs and maps as text. */
  static Object jsonValue(Object v) {
    if (v instanceof byte[] bytes) {
      return "<" + bytes.length + " bytes>";
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>();
      scala.collection.Iterator<?> it = seq.iterator();
      while (it.hasNext()) {
        out.add(jsonValue(it.next()));
      }
      return out;
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v;
    }
    return v.toString();
  }
}
