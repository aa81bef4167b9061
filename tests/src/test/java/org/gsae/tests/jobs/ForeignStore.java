package org.gsae.tests.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.gsae.core.data.SyntheticActivations;

/**
 * An activation store written by another tool than gsae or Spark: parquet-hadoop's own example
 * writer ({@link ExampleParquetWriter}) with a hand-written schema. The vector is Spark's
 * standard three-level {@code LIST} of float; {@code doc_id}, {@code position} (int32) and
 * {@code token} (UTF8) are metadata. The rows are {@link SyntheticActivations} (a random
 * dictionary, a few active features per row, noise), so a trained model has something to find.
 */
final class ForeignStore {

  /** The schema every file gets, as another Parquet producer would declare it. */
  static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
      message activations {
        required int32 doc_id;
        required int32 position;
        optional binary token (STRING);
        optional group activation (LIST) {
          repeated group list {
            required float element;
          }
        }
      }
      """);

  /** Positions per document: {@code doc_id = row / TOKENS_PER_DOC}. */
  static final int TOKENS_PER_DOC = 40;

  /**
   * What was written.
   *
   * @param uri   the store directory
   * @param files Parquet files in it, named {@code acts-00000.parquet}, ... (store order)
   * @param rows  rows over all files
   * @param dIn   vector width
   */
  record Written(String uri, int files, int rows, int dIn) {}

  private ForeignStore() {}

  /** The {@code token} of store row {@code row}: a pseudo-word that differs between neighbours. */
  static String token(long row) {
    return "w" + Long.toString((row * 7919L) % 1009L, 36);
  }

  /** The {@code doc_id} of store row {@code row}. */
  static int docId(long row) {
    return (int) (row / TOKENS_PER_DOC);
  }

  /** The {@code position} of store row {@code row} in its document. */
  static int position(long row) {
    return (int) (row % TOKENS_PER_DOC);
  }

  /**
   * Writes {@code files} files of {@code rowsPerFile} rows each under {@code dirUri}.
   *
   * @param features true features of the synthetic data (about 3 active per row)
   * @param seed     seed of the data
   */
  static Written write(String dirUri, int files, int rowsPerFile, int dIn, int features,
      long seed) {
    int rows = files * rowsPerFile;
    float[] data = SyntheticActivations.generate(rows, dIn, features, 3.0, 0.05, seed)
        .data().data();
    Configuration conf = new Configuration();
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    for (int f = 0; f < files; f++) {
      Path file = new Path(dirUri, String.format("acts-%05d.parquet", f));
      try (ParquetWriter<Group> w = ExampleParquetWriter
          .builder(HadoopOutputFile.fromPath(file, conf))
          .withConf(conf)
          .withType(SCHEMA)
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .build()) {
        for (int r = f * rowsPerFile; r < (f + 1) * rowsPerFile; r++) {
          Group g = groups.newGroup()
              .append("doc_id", docId(r))
              .append("position", position(r))
              .append("token", token(r));
          Group list = g.addGroup("activation");
          for (int i = 0; i < dIn; i++) {
            list.addGroup("list").append("element", data[r * dIn + i]);
          }
          w.write(g);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
    return new Written(dirUri, files, rows, dIn);
  }
}
