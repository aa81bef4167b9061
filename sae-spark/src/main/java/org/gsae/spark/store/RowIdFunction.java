package org.gsae.spark.store;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.api.java.UDF2;

/**
 * {@code row_id} from Spark's {@code _metadata.file_path} and {@code _metadata.row_index}:
 * the file's first row id plus the row's index in the file. Both come from the file itself,
 * not from scheduling, so row ids are the same whatever the partitioning or the run.
 */
final class RowIdFunction implements UDF2<String, Long, Long> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<FileTable> files;

  RowIdFunction(Broadcast<FileTable> files) {
    this.files = files;
  }

  @Override
  public Long call(String filePath, Long rowIndex) {
    return files.value().rowId(filePath, rowIndex);
  }
}
