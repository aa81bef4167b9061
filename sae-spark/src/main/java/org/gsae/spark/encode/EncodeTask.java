package org.gsae.spark.encode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.gsae.core.model.AlignedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.spark.store.ActivationDecoder;
import org.gsae.spark.store.ActivationType;
import org.gsae.spark.store.InvalidRows;
import scala.Function1;

/**
 * Encodes one input partition, lazily and in order: reads rows
 * {@code [metadata..., row_id, activation]} in Spark's internal format, validates each
 * activation (same checks and {@code input.on_invalid} policy as the store reader, plus the
 * model's {@code d_in}), and passes the valid rows to an {@link AlignedEncoder} (row-aligned
 * batches of {@code blockRows} rows), which encodes each batch into
 * {@code featureActs [B, d_sae]} (and decodes {@code xHat [B, d_in]} when asked); emits one
 * output row per valid input row, in input order, in {@link EncodeSchema} order. Because the
 * batches are aligned to {@code row_id}, a row's codes are the same bits whatever the input
 * partitioning (same BLAS kernel and thread count). Memory is one batch: its metadata values
 * and a few {@code [B, d_sae]} arrays.
 */
final class EncodeTask implements FlatMapFunction<Iterator<InternalRow>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<float[]> params;
  private final int dIn;
  private final int dSae;
  private final ActivationType type;
  private final String column;
  private final StructType metadata;
  private final InvalidRows invalid;
  private final LongAccumulator encoded;
  private final LongAccumulator activeFeatures;
  private final boolean dense;
  private final boolean reconstruct;
  private final int blockRows;

  /**
   * @param params         {@link SaeParameters#toFlat()} of a float32 model
   * @param metadata       the metadata columns, ordinals {@code 0..k-1} of the input rows
   *                       ({@code row_id} is ordinal k, the activation k + 1)
   * @param encoded        counts rows written
   * @param activeFeatures sums L0 over the rows written
   * @param blockRows      rows per aligned batch, {@link AlignedEncoder#blockRows(int, long)}
   */
  EncodeTask(Broadcast<float[]> params, int dIn, int dSae, ActivationType type, String column,
      StructType metadata, InvalidRows invalid, LongAccumulator encoded,
      LongAccumulator activeFeatures, boolean dense, boolean reconstruct, int blockRows) {
    this.params = params;
    this.dIn = dIn;
    this.dSae = dSae;
    this.type = type;
    this.column = column;
    this.metadata = metadata;
    this.invalid = invalid;
    this.encoded = encoded;
    this.activeFeatures = activeFeatures;
    this.dense = dense;
    this.reconstruct = reconstruct;
    this.blockRows = blockRows;
  }

  @Override
  public Iterator<Row> call(Iterator<InternalRow> rows) {
    return new Batches(rows);
  }

  private final class Batches implements Iterator<Row> {
    private final Iterator<InternalRow> in;
    private final SaeParameters p = SaeParameters.fromFlat(params.value(), dIn, dSae);
    private final ActivationDecoder decoder = new ActivationDecoder(type, column);
    private final int k = metadata.fields().length;
    private final DataType[] types = new DataType[k];
    @SuppressWarnings("unchecked")
    private final Function1<Object, Object>[] toExternal = new Function1[k];
    private final Object[][] meta = new Object[blockRows][];
    private final AlignedEncoder encoder =
        new AlignedEncoder(p, blockRows, reconstruct, this::emit);
    private boolean flushed;
    private Row[] out = new Row[0];
    private int next;

    Batches(Iterator<InternalRow> in) {
      this.in = in;
      for (int i = 0; i < k; i++) {
        types[i] = metadata.fields()[i].dataType();
        toExternal[i] = CatalystTypeConverters.createToScalaConverter(types[i]);
      }
    }

    @Override
    public boolean hasNext() {
      while (next >= out.length) {
        if (!fill()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = out[next];
      out[next++] = null;
      return r;
    }

    /** Reads rows until a batch has been encoded; false when the input is exhausted. */
    private boolean fill() {
      out = new Row[0];
      next = 0;
      while (out.length == 0 && in.hasNext()) {
        InternalRow row = in.next();
        long rowId = row.getLong(k);
        float[] values = decoder.decode(row, k + 1);
        if (values == null) {
          invalid.reject(rowId, 1, decoder.problem());
          continue;
        }
        if (values.length != dIn) {
          invalid.reject(rowId, 1, "column '" + column + "' has " + values.length
              + " values, expected " + dIn + " (d_in of the model)");
          continue;
        }
        // Converted now: the scan reuses its row object, the external values are copies.
        Object[] m = new Object[k + 1];
        for (int i = 0; i < k; i++) {
          m[i] = row.isNullAt(i) ? null : toExternal[i].apply(row.get(i, types[i]));
        }
        m[k] = rowId;
        encoder.add(rowId, values, 0);   // may emit the previous batch, whose metadata it reads
        meta[(int) (rowId % blockRows)] = m;
      }
      if (out.length == 0 && !flushed) {
        flushed = true;
        encoder.flush();
      }
      return out.length > 0;
    }

    /** The encoded batch's output rows, in input order. */
    private void emit(long[] rowIds, int rows, float[] x, float[] acts, float[] xHat) {
      out = new Row[rows];
      next = 0;
      long l0Sum = 0;
      for (int r = 0; r < rows; r++) {
        int slot = (int) (rowIds[r] % blockRows);
        Object[] m = meta[slot];
        meta[slot] = null;
        int extra = (dense ? 1 : 2) + (reconstruct ? 1 : 0);
        Object[] values = Arrays.copyOf(m, m.length + extra);
        int c = m.length;
        int off = r * dSae;
        if (dense) {
          values[c++] = Arrays.copyOfRange(acts, off, off + dSae);
          for (int j = 0; j < dSae; j++) {
            l0Sum += acts[off + j] > 0 ? 1 : 0;
          }
        } else {
          int active = 0;
          for (int j = 0; j < dSae; j++) {
            active += acts[off + j] > 0 ? 1 : 0;
          }
          int[] indices = new int[active];
          float[] featureValues = new float[active];
          for (int j = 0, a = 0; j < dSae; j++) {
            float v = acts[off + j];
            if (v > 0) {
              indices[a] = j;
              featureValues[a++] = v;
            }
          }
          values[c++] = indices;
          values[c++] = featureValues;
          l0Sum += active;
        }
        if (reconstruct) {
          values[c] = Arrays.copyOfRange(xHat, r * dIn, (r + 1) * dIn);
        }
        out[r] = RowFactory.create(values);
      }
      encoded.add(rows);
      activeFeatures.add(l0Sum);
    }
  }
}
