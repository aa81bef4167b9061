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
import org.gsae.core.model.Encoding;
import org.gsae.core.model.GatedEncoder;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.spark.store.ActivationDecoder;
import org.gsae.spark.store.ActivationType;
import org.gsae.spark.store.InvalidRows;
import scala.Function1;

/**
 * Encodes one input partition, lazily and in order: reads rows
 * {@code [metadata..., row_id, activation]} in Spark's internal format, validates each
 * activation (same checks and {@code input.on_invalid} policy as the store reader, plus the
 * model's {@code d_in}), gathers up to {@code batchSize} valid rows into {@code x [B, d_in]},
 * encodes them with {@link GatedEncoder} into {@code featureActs [B, d_sae]} (and decodes
 * {@code xHat [B, d_in]} when asked), and emits one output row per valid input row in
 * {@link EncodeSchema} order. Memory is one batch: its metadata values and a few
 * {@code [B, d_sae]} arrays.
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
  private final int batchSize;

  /**
   * @param params         {@link SaeParameters#toFlat()} of a float32 model
   * @param metadata       the metadata columns, ordinals {@code 0..k-1} of the input rows
   *                       ({@code row_id} is ordinal k, the activation k + 1)
   * @param encoded        counts rows written
   * @param activeFeatures sums L0 over the rows written
   */
  EncodeTask(Broadcast<float[]> params, int dIn, int dSae, ActivationType type, String column,
      StructType metadata, InvalidRows invalid, LongAccumulator encoded,
      LongAccumulator activeFeatures, boolean dense, boolean reconstruct, int batchSize) {
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
    this.batchSize = batchSize;
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
    private final float[] x = new float[Math.multiplyExact(batchSize, dIn)];
    private final Object[][] meta = new Object[batchSize][];
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

    /** Reads and encodes the next batch; false when the input is exhausted. */
    private boolean fill() {
      int rows = 0;
      while (rows < batchSize && in.hasNext()) {
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
        meta[rows] = m;
        System.arraycopy(values, 0, x, rows * dIn, dIn);
        rows++;
      }
      if (rows == 0) {
        return false;
      }
      encode(rows);
      return true;
    }

    private void encode(int rows) {
      float[] batch = rows == batchSize ? x : Arrays.copyOf(x, rows * dIn);
      Encoding e = GatedEncoder.encode(p, Tensor.of(batch, rows, dIn));
      float[] acts = e.featureActs().toFloatArray();
      float[] xHat = reconstruct ? GatedEncoder.decode(p, e.featureActs()).toFloatArray() : null;
      out = new Row[rows];
      next = 0;
      long l0Sum = 0;
      for (int r = 0; r < rows; r++) {
        Object[] m = meta[r];
        meta[r] = null;
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
