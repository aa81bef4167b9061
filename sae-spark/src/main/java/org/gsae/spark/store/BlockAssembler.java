package org.gsae.spark.store;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

/**
 * Second packing stage, after the shuffle: takes one partition's chunks sorted by first
 * {@code row_id}, rejects chunks whose width is not {@code d_in}, and concatenates the rest
 * into blocks of exactly {@code blockRows} rows (the last block of a partition may be
 * shorter), keeping store order.
 */
final class BlockAssembler implements FlatMapFunction<Iterator<Tuple2<Long, RowBlock>>, RowBlock> {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final InvalidRows invalid;
  private final int dIn;
  private final String widthSource;
  private final int blockRows;

  /**
   * @param widthSource where {@code dIn} comes from, for messages (for example "like the
   *                    first valid row, row_id 0")
   */
  BlockAssembler(String column, InvalidRows invalid, int dIn, String widthSource, int blockRows) {
    this.column = column;
    this.invalid = invalid;
    this.dIn = dIn;
    this.widthSource = widthSource;
    this.blockRows = blockRows;
  }

  @Override
  public Iterator<RowBlock> call(Iterator<Tuple2<Long, RowBlock>> chunks) {
    return new Blocks(chunks);
  }

  private final class Blocks implements Iterator<RowBlock> {
    private final Iterator<Tuple2<Long, RowBlock>> chunks;
    private RowBlock pending;
    private int pendingPos;
    private RowBlockBuilder builder;
    private RowBlock next;

    Blocks(Iterator<Tuple2<Long, RowBlock>> chunks) {
      this.chunks = chunks;
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
      while (true) {
        if (pending != null) {
          if (builder == null && pendingPos == 0 && pending.rows() == blockRows) {
            RowBlock whole = pending;
            pending = null;
            return whole;
          }
          if (builder == null) {
            builder = new RowBlockBuilder(dIn, blockRows);
          }
          while (pendingPos < pending.rows() && !builder.isFull()) {
            builder.add(pending.rowIds()[pendingPos], pending.data(), pendingPos * dIn);
            pendingPos++;
          }
          if (pendingPos == pending.rows()) {
            pending = null;
          }
          if (builder.isFull()) {
            return take();
          }
        }
        if (!chunks.hasNext()) {
          return builder == null || builder.isEmpty() ? null : take();
        }
        RowBlock chunk = chunks.next()._2();
        if (chunk.dIn() != dIn) {
          invalid.reject(chunk.rowIds()[0], chunk.rows(), "column '" + column + "' has "
              + chunk.dIn() + " values, expected " + dIn + " " + widthSource);
          continue;
        }
        pending = chunk;
        pendingPos = 0;
      }
    }

    private RowBlock take() {
      RowBlock block = builder.build();
      builder = null;
      return block;
    }
  }
}
