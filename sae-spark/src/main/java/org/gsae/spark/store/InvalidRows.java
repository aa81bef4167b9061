package org.gsae.spark.store;

import java.io.Serializable;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.error.Errors;

/**
 * Applies {@code input.on_invalid} to a rejected row inside a Spark task: FAIL throws an
 * INVALID_INPUT {@link org.gsae.core.error.GsaeException} naming the file, the row within it
 * and its {@code row_id}; SKIP counts the row in a {@link LongAccumulator} and drops it.
 * Public for the encode job, which applies the same policy with the same messages.
 */
public final class InvalidRows implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String FIX = "repair or remove the row (and any like it), or set "
      + "input.on_invalid = skip to drop invalid rows (they are counted and reported)";

  private final OnInvalid policy;
  private final Broadcast<FileTable> files;
  private final LongAccumulator skipped;

  /**
   * @param policy  {@code input.on_invalid}
   * @param files   the store's files, to name the file and row of a rejected row
   * @param skipped counts skipped rows (SKIP)
   */
  public InvalidRows(OnInvalid policy, Broadcast<FileTable> files, LongAccumulator skipped) {
    this.policy = policy;
    this.files = files;
    this.skipped = skipped;
  }

  /** Rejects {@code rows} consecutive rows starting at {@code rowId}, all for {@code problem}. */
  public void reject(long rowId, int rows, String problem) {
    if (policy == OnInvalid.FAIL) {
      throw Errors.invalidInput(problem, files.value().describeRow(rowId), FIX);
    }
    skipped.add(rows);
  }
}
