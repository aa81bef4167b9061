package org.gsae.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.GradientAccumulator;
import org.gsae.spark.store.RowBlock;

/**
 * The executor side of one training step: on partition p, pick the rows of the step's global
 * batch that this partition holds, gather them (in store order) into one row-major block and
 * feed it to a {@link GradientAccumulator}. Emits exactly one accumulator per partition (empty
 * when the partition holds none of the batch), so the driver can merge in partition order.
 */
final class StepTask implements Function2<Integer, Iterator<RowBlock>, Iterator<GradientAccumulator>> {
  private static final long serialVersionUID = 1L;

  /**
   * What the driver broadcasts each step: the float32 parameters (never an ND4J object), the
   * step's sorted global row positions and lambda. The parameters are the trainer's own
   * arrays, not a copy: the broadcast serialises them (in bulk) when it is created, and a task
   * in the driver's JVM (local mode) reads them in place; the driver changes them only after
   * the step's job has ended.
   */
  static final class Payload implements java.io.Externalizable {
    private SaeParameters params;
    private int[] batchPositions;
    private double lambda;

    /** For deserialisation only. */
    public Payload() {}

    Payload(SaeParameters params, int[] batchPositions, double lambda) {
      if (params.dtype() != org.gsae.core.tensor.DType.FLOAT32) {
        throw new IllegalArgumentException("the training step runs in float32, parameters are "
            + params.dtype());
      }
      this.params = params;
      this.batchPositions = batchPositions;
      this.lambda = lambda;
    }

    SaeParameters params() {
      return params;
    }

    int[] batchPositions() {
      return batchPositions;
    }

    double lambda() {
      return lambda;
    }

    @Override
    public void writeExternal(java.io.ObjectOutput out) throws java.io.IOException {
      org.gsae.core.train.FloatArrays.writeParameters(out, params);
      out.writeObject(batchPositions);
      out.writeDouble(lambda);
    }

    @Override
    public void readExternal(java.io.ObjectInput in) throws java.io.IOException, ClassNotFoundException {
      params = org.gsae.core.train.FloatArrays.readParameters(in);
      batchPositions = (int[]) in.readObject();
      lambda = in.readDouble();
    }
  }

  private final Broadcast<Payload> payload;
  private final long[] partitionOffsets;   // first global position of each partition
  private final int dIn;
  private final int dSae;
  private final GatedLoss loss;
  private final int chunkRows;

  StepTask(Broadcast<Payload> payload, long[] partitionOffsets, int dIn, int dSae, GatedLoss loss,
      int chunkRows) {
    this.payload = payload;
    this.partitionOffsets = partitionOffsets;
    this.dIn = dIn;
    this.dSae = dSae;
    this.loss = loss;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<GradientAccumulator> call(Integer partition, Iterator<RowBlock> blocks) {
    Payload p = payload.value();
    long from = partitionOffsets[partition];
    long to = partitionOffsets[partition + 1];
    int[] mine = localPositions(p.batchPositions(), from, to);
    GradientAccumulator acc = new GradientAccumulator(dIn, dSae);
    if (mine.length > 0) {
      float[] rows = gather(blocks, mine);
      acc.add(p.params(), loss, p.lambda(), rows, mine.length, chunkRows);
    }
    List<GradientAccumulator> out = new ArrayList<>(1);
    out.add(acc);
    return out.iterator();
  }

  /** Positions in [from, to) of the sorted global batch, made local to the partition. */
  static int[] localPositions(int[] sortedGlobal, long from, long to) {
    int lo = lowerBound(sortedGlobal, from);
    int hi = lowerBound(sortedGlobal, to);
    int[] out = new int[hi - lo];
    for (int i = lo; i < hi; i++) {
      out[i - lo] = (int) (sortedGlobal[i] - from);
    }
    return out;
  }

  private static int lowerBound(int[] a, long key) {
    int lo = 0;
    int hi = a.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Copies the rows at the given sorted local positions (repeats allowed) out of the blocks. */
  private float[] gather(Iterator<RowBlock> blocks, int[] positions) {
    float[] out = new float[positions.length * dIn];
    int k = 0;
    long blockStart = 0;
    while (k < positions.length && blocks.hasNext()) {
      RowBlock b = blocks.next();
      if (b.dIn() != dIn) {
        throw new IllegalStateException("row block of width " + b.dIn() + " in a store of d_in " + dIn);
      }
      long blockEnd = blockStart + b.rows();
      while (k < positions.length && positions[k] < blockEnd) {
        int r = (int) (positions[k] - blockStart);
        System.arraycopy(b.data(), r * dIn, out, k * dIn, dIn);
        k++;
      }
      blockStart = blockEnd;
    }
    if (k != positions.length) {
      throw new IllegalStateException("partition holds fewer rows than its recorded count: needed local position "
          + positions[k] + " but only " + blockStart + " rows were found; " + Arrays.toString(partitionOffsets));
    }
    return out;
  }
}
