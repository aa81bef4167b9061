package org.gsae.spark.store;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.hadoop.Footer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * Reads every store file's Parquet footer on the driver: its row count (the sum over row
 * groups, no data read) and its Spark schema (Spark's own footer logic: the schema Spark
 * wrote into the footer, else the converted Parquet schema). Footers are small, so a few
 * threads hide the per-file latency of object stores.
 */
final class StoreFooters {
  private static final int THREADS = 8;

  /** One file's footer facts; {@code path} in {@link org.apache.hadoop.fs.Path#toString()} form. */
  record FileFooter(String path, long rows, long bytes, StructType schema) {}

  private StoreFooters() {}

  /**
   * Footers of {@code files}, in the same order.
   *
   * @throws GsaeException INVALID_INPUT naming the first file that is not Parquet; IO when
   *     a file cannot be read
   */
  static List<FileFooter> read(List<FileStatus> files, Configuration conf, SQLConf sqlConf) {
    ParquetToSparkSchemaConverter converter = new ParquetToSparkSchemaConverter(sqlConf);
    if (files.size() == 1) {
      return List.of(readOne(files.get(0), conf, converter));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, files.size()), r -> {
      Thread t = new Thread(r, "gsae-parquet-footers");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<FileFooter>> pending = new ArrayList<>();
      for (FileStatus f : files) {
        pending.add(pool.submit(() -> readOne(f, conf, converter)));
      }
      List<FileFooter> out = new ArrayList<>(files.size());
      for (Future<FileFooter> p : pending) {
        out.add(p.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("reading Parquet footers failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading Parquet footers", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The Spark schema of a Parquet dataset gsae wrote (its first data file's footer), so that
   * it can be read with {@code spark.read().schema(..)}: Spark's own schema inference runs a
   * job whose results are {@code StructType}s, which a cluster with
   * {@code spark.kryo.registrationRequired=true} refuses.
   */
  static StructType schemaOf(String dataset, Configuration conf, SQLConf sqlConf) {
    List<FileStatus> files = StoreListing.resolve(dataset, conf);
    return readOne(files.get(0), conf, new ParquetToSparkSchemaConverter(sqlConf)).schema();
  }

  private static FileFooter readOne(FileStatus file, Configuration conf,
      ParquetToSparkSchemaConverter converter) {
    String path = file.getPath().toString();
    ParquetMetadata footer;
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(file, conf))) {
      footer = reader.getFooter();
    } catch (IOException e) {
      if (e instanceof EOFException || TaskFailures.fromParquet(e)) {
        // The bytes were read; parquet-mr could not make a footer of them: a damaged file.
        throw Errors.invalidInput("file is not a readable Parquet file (" + e + ")", path,
            "restore the file from its source, or remove it from the input", e);
      }
      throw Errors.io("reading the Parquet footer", path, e);
    } catch (RuntimeException e) {
      // parquet-mr reports a missing magic number or a corrupt footer as RuntimeException.
      throw Errors.invalidInput("file is not a readable Parquet file (" + e.getMessage() + ")",
          path, "remove the file from the input or point input.path at Parquet files only", e);
    }
    long rows = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      rows += block.getRowCount();
    }
    StructType schema = ParquetFileFormat.readSchemaFromFooter(
        new Footer(file.getPath(), footer), converter);
    return new FileFooter(path, rows, file.getLen(), schema);
  }

  /**
   * Checks that every file has the first file's columns with the same types (nullability
   * aside).
   *
   * @throws GsaeException INVALID_INPUT naming both files and the differing columns
   */
  static void requireSameSchema(List<FileFooter> footers, String input) {
    FileFooter first = footers.get(0);
    Map<String, String> expected = columnTypes(first.schema());
    for (FileFooter other : footers.subList(1, footers.size())) {
      Map<String, String> found = columnTypes(other.schema());
      if (found.equals(expected)) {
        continue;
      }
      List<String> diffs = new ArrayList<>();
      for (Map.Entry<String, String> e : expected.entrySet()) {
        String t = found.get(e.getKey());
        if (!e.getValue().equals(t)) {
          diffs.add("column '" + e.getKey() + "' is " + e.getValue() + " in " + first.path()
              + " but " + (t == null ? "missing" : t) + " in " + other.path());
        }
      }
      for (Map.Entry<String, String> e : found.entrySet()) {
        if (!expected.containsKey(e.getKey())) {
          diffs.add("column '" + e.getKey() + "' (" + e.getValue() + ") is in " + other.path()
              + " but missing in " + first.path());
        }
      }
      throw Errors.invalidInput("the store's files have different schemas: "
          + String.join("; ", diffs), input,
          "rewrite the files with one schema, or point input.path at files that share one");
    }
  }

  private static Map<String, String> columnTypes(StructType schema) {
    Map<String, String> types = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      types.put(f.name(), SparkTypes.describe(f.dataType()));
    }
    return types;
  }
}
