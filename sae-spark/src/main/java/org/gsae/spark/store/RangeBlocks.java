package org.gsae.spark.store;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SerializableWritable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The packing task: partition {@code p} reads the store's {@code row_id}s
 * {@code [start(p), end(p))} of a {@link RowIdRangePartitioner} with a
 * {@link StoreColumnReader}, applies {@code input.on_invalid} to invalid rows and rows of the
 * wrong width, and cuts the valid rows into blocks of exactly {@code blockRows} rows (the
 * last block of a partition may be shorter), in store order. Blocks are produced one at a
 * time, so a task holds one block beside what Spark caches.
 */
final class RangeBlocks implements Function2<Integer, Iterator<Integer>, Iterator<RowBlock>> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<FileTable> files;
  private final Broadcast<SerializableWritable<Configuration>> conf;
  private final String column;
  private final ActivationType type;
  private final InvalidRows invalid;
  private final RowIdRangePartitioner ranges;
  private final int dIn;
  private final String widthSource;
  private final int blockRows;

  /**
   * @param dIn         the width every row must have
   * @param widthSource where {@code dIn} comes from, for messages
   */
  RangeBlocks(Broadcast<FileTable> files, Broadcast<SerializableWritable<Configuration>> conf,
      String column, ActivationType type, InvalidRows invalid, RowIdRangePartitioner ranges,
      int dIn, String widthSource, int blockRows) {
    this.files = files;
    this.conf = conf;
    this.column = column;
    this.type = type;
    this.invalid = invalid;
    this.ranges = ranges;
    this.dIn = dIn;
    this.widthSource = widthSource;
    this.blockRows = blockRows;
  }

  @Override
  public Iterator<RowBlock> call(Integer partition, Iterator<Integer> ignored) {
    StoreColumnReader reader = open(files, conf, column, type, ranges, partition);
    return new Blocks(reader, ranges.end(partition) - ranges.start(partition));
  }

  /** A reader of partition {@code p}'s rows, closed when the task ends. */
  static StoreColumnReader open(Broadcast<FileTable> files,
      Broadcast<SerializableWritable<Configuration>> conf, String column, ActivationType type,
      RowIdRangePartitioner ranges, int p) {
    StoreColumnReader reader = new StoreColumnReader(files.value(), conf.value().value(), column,
        type, ranges.start(p), ranges.end(p));
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) t -> reader.close());
    }
    return reader;
  }

  /**
   * The width-probing task: {@code [row_id, width]} of partition {@code p}'s first valid row,
   * or nothing when it has none. Invalid rows before it meet {@code invalid}, so with
   * {@code input.on_invalid = fail} the probe fails as the packing would.
   */
  static Function2<Integer, Iterator<Integer>, Iterator<long[]>> firstValid(
      Broadcast<FileTable> files, Broadcast<SerializableWritable<Configuration>> conf,
      String column, ActivationType type, InvalidRows invalid, RowIdRangePartitioner ranges) {
    return (partition, ignored) -> {
      try (StoreColumnReader reader = open(files, conf, column, type, ranges, partition)) {
        while (reader.next()) {
          if (reader.problem() == null) {
            return List.of(new long[] {reader.rowId(), reader.width()}).iterator();
          }
          invalid.reject(reader.rowId(), 1, reader.problem());
        }
        return Collections.emptyIterator();
      }
    };
  }

  private final class Blocks implements Iterator<RowBlock> {
    private final StoreColumnReader reader;
    private long rowsLeft;
    private RowBlock next;

    Blocks(StoreColumnReader reader, long rows) {
      this.reader = reader;
      this.rowsLeft = rows;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public RowBlock next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      RowBlock out = next;
      next = null;
      return out;
    }

    private RowBlock advance() {
      RowBlockBuilder block = null;
      while (reader.next()) {
        rowsLeft--;
        String problem = reader.problem();
        if (problem == null && reader.width() != dIn) {
          problem = "column '" + column + "' has " + reader.width() + " values, expected " + dIn
              + " " + widthSource;
        }
        if (problem != null) {
          invalid.reject(reader.rowId(), 1, problem);
          continue;
        }
        if (block == null) {
          block = new RowBlockBuilder(dIn, blockRows, (int) Math.min(blockRows, rowsLeft + 1));
        }
        block.add(reader.rowId(), reader.values(), 0);
        if (block.isFull()) {
          return block.build();
        }
      }
      reader.close();
      return block == null ? null : block.build();
    }
  }
}
