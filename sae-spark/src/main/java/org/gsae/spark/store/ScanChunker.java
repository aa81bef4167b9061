package org.gsae.spark.store;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import scala.Tuple2;

/**
 * First packing stage, on the scan side: decodes and checks each row
 * ({@code [row_id long, activation]} in Spark's internal format) and groups valid rows into
 * chunks keyed by their first {@code row_id}, ready to be shuffled into {@code row_id}
 * ranges.
 *
 * <p>A chunk holds rows of one width that are consecutive in the store (invalid rows aside)
 * and inside one target partition. Scan partitions read contiguous row ranges of files but
 * in no useful order, so cutting at every jump makes chunks from different tasks disjoint
 * intervals of {@code row_id}: sorting chunks by first row id then gives store order.
 */
final class ScanChunker implements PairFlatMapFunction<Iterator<InternalRow>, Long, RowBlock> {
  private static final long serialVersionUID = 1L;

  private final ActivationType type;
  private final String column;
  private final InvalidRows invalid;
  private final RowIdRangePartitioner partitioner;
  private final int expectedWidth;
  private final String widthSource;
  private final int chunkRows;

  /**
   * @param expectedWidth the model's {@code d_in} (or the width learnt from an earlier window),
   *                      checked here, or 0 when unknown (then the width is checked after the
   *                      shuffle, see {@link BlockAssembler})
   * @param widthSource   where {@code expectedWidth} comes from, for messages
   * @param chunkRows     most rows per chunk (the block size)
   */
  ScanChunker(ActivationType type, String column, InvalidRows invalid,
      RowIdRangePartitioner partitioner, int expectedWidth, String widthSource, int chunkRows) {
    this.type = type;
    this.column = column;
    this.invalid = invalid;
    this.partitioner = partitioner;
    this.expectedWidth = expectedWidth;
    this.widthSource = widthSource;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<Tuple2<Long, RowBlock>> call(Iterator<InternalRow> rows) {
    return new Chunks(rows);
  }

  private final class Chunks implements Iterator<Tuple2<Long, RowBlock>> {
    private final Iterator<InternalRow> rows;
    private final ActivationDecoder decoder = new ActivationDecoder(type, column);
    private RowBlockBuilder current;
    private long lastRowId = Long.MIN_VALUE;
    private long partitionEnd = Long.MIN_VALUE;
    private Tuple2<Long, RowBlock> next;

    Chunks(Iterator<InternalRow> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Tuple2<Long, RowBlock> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<Long, RowBlock> out = next;
      next = null;
      return out;
    }

    private Tuple2<Long, RowBlock> advance() {
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        long rowId = row.getLong(0);
        Tuple2<Long, RowBlock> out = null;
        if (rowId != lastRowId + 1 || rowId >= partitionEnd) {
          out = close();
          partitionEnd = partitioner.end(partitioner.getPartition(rowId));
        }
        lastRowId = rowId;
        float[] values = decoder.decode(row, 1);
        if (values == null) {
          invalid.reject(rowId, 1, decoder.problem());
        } else if (expectedWidth > 0 && values.length != expectedWidth) {
          invalid.reject(rowId, 1, "column '" + column + "' has " + values.length
              + " values, expected " + expectedWidth + " " + widthSource);
        } else {
          if (current != null && (current.dIn() != values.length || current.isFull())) {
            out = close(); // cannot also have closed above: that left current null
          }
          if (current == null) {
            current = new RowBlockBuilder(values.length, chunkRows);
          }
          current.add(rowId, values, 0);
        }
        if (out != null) {
          return out;
        }
      }
      return close();
    }

    private Tuple2<Long, RowBlock> close() {
      if (current == null || current.isEmpty()) {
        return null;
      }
      RowBlock chunk = current.build();
      current = null;
      return new Tuple2<>(chunk.rowIds()[0], chunk);
    }
  }
}
