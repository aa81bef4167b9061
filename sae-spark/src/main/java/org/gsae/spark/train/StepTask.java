package org.gsae.spark.train;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;
import org.gsae.core.train.FloatArrays;
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
   * What the driver broadcasts each step: the float32 parameters, the step's sorted global row
   * positions and lambda. Parameters of at least {@link #SPLIT_MIN_BYTES} go out in two parts
   * of about equal size so that two threads can write their torrent pieces at once
   * ({@link #split}): the first carries {@code W_enc} and the three [d_sae] vectors with the
   * positions and lambda, the second {@code W_dec} and {@code b_dec}; smaller ones in one part.
   * The parameters are the trainer's own arrays, not a copy: a broadcast serialises them (in
   * bulk) when it is created, and a task in the driver's JVM (local mode) reads them in place;
   * the driver changes them only after the step's job has ended.
   */
  static final class Payload implements Externalizable {
    private static final long serialVersionUID = 1L;
    /** Index in {@link SaeParameters#NAMES} of the second part's first tensor. */
    private static final int SPLIT = SaeParameters.NAMES.indexOf("W_dec");
    /**
     * Smallest parameters sent in two parts: Spark's default torrent piece (4 MiB); below it a
     * second broadcast costs more than it saves.
     */
    static final long SPLIT_MIN_BYTES = 4L << 20;

    private int dIn;
    private int dSae;
    private int first;                // index in SaeParameters.NAMES of tensors[0]
    private List<Tensor> tensors;     // consecutive parameters, float32
    private long[] batchPositions;    // first part only
    private double lambda;            // first part only

    /** For deserialisation only. */
    public Payload() {}

    private Payload(SaeParameters params, int first, int end, long[] batchPositions,
        double lambda) {
      this.dIn = params.dIn();
      this.dSae = params.dSae();
      this.first = first;
      this.tensors = params.tensors().subList(first, end);
      this.batchPositions = batchPositions;
      this.lambda = lambda;
    }

    /** The one or two parts of one step's broadcast; the first carries the positions and lambda. */
    static Payload[] split(SaeParameters params, long[] batchPositions, double lambda) {
      if (params.dtype() != DType.FLOAT32) {
        throw new IllegalArgumentException("the training step runs in float32, parameters are "
            + params.dtype());
      }
      int all = SaeParameters.NAMES.size();
      if (4 * SaeParameters.parameterCount(params.dIn(), params.dSae()) < SPLIT_MIN_BYTES) {
        return new Payload[] {new Payload(params, 0, all, batchPositions, lambda)};
      }
      return new Payload[] {new Payload(params, 0, SPLIT, batchPositions, lambda),
          new Payload(params, SPLIT, all, null, Double.NaN)};
    }

    /** The parameters from the parts of {@link #split}, in order. */
    static SaeParameters join(Payload... parts) {
      List<Tensor> all = new ArrayList<>(SaeParameters.NAMES.size());
      for (Payload p : parts) {
        if (p.first != all.size() || p.dIn != parts[0].dIn || p.dSae != parts[0].dSae) {
          throw new IllegalStateException("not the parts of one step's parameters in order: a part"
              + " starting at tensor " + p.first + " (d_in " + p.dIn + ", d_sae " + p.dSae
              + ") after " + all.size() + " tensors (d_in " + parts[0].dIn + ", d_sae "
              + parts[0].dSae + ")");
        }
        all.addAll(p.tensors);
      }
      if (all.size() != SaeParameters.NAMES.size()) {
        throw new IllegalStateException("the parts of a step's parameters end after " + all.size()
            + " of " + SaeParameters.NAMES.size() + " tensors");
      }
      return SaeParameters.fromList(all);
    }

    long[] batchPositions() {
      return batchPositions;
    }

    double lambda() {
      return lambda;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      out.writeInt(dIn);
      out.writeInt(dSae);
      out.writeInt(first);
      out.writeInt(tensors.size());
      FloatArrays.writeTensors(out, tensors);
      out.writeObject(batchPositions);
      out.writeDouble(lambda);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException, ClassNotFoundException {
      dIn = in.readInt();
      dSae = in.readInt();
      first = in.readInt();
      int count = in.readInt();
      tensors = FloatArrays.readTensors(in,
          Arrays.copyOfRange(SaeParameters.shapes(dIn, dSae), first, first + count));
      batchPositions = (long[]) in.readObject();
      lambda = in.readDouble();
    }
  }

  private final List<Broadcast<Payload>> parts;
  private final long[] partitionOffsets;   // first global position of each partition
  private final int dIn;
  private final int dSae;
  private final GatedLoss loss;
  private final int chunkRows;

  StepTask(List<Broadcast<Payload>> parts, long[] partitionOffsets, int dIn, int dSae, GatedLoss loss,
      int chunkRows) {
    this.parts = List.copyOf(parts);
    this.partitionOffsets = partitionOffsets;
    this.dIn = dIn;
    this.dSae = dSae;
    this.loss = loss;
    this.chunkRows = chunkRows;
  }

  @Override
  public Iterator<GradientAccumulator> call(Integer partition, Iterator<RowBlock> blocks) {
    Payload p = parts.get(0).value();
    long from = partitionOffsets[partition];
    long to = partitionOffsets[partition + 1];
    long[] mine = localPositions(p.batchPositions(), from, to);
    GradientAccumulator acc = new GradientAccumulator(dIn, dSae);
    if (mine.length > 0) {
      float[] rows = gather(blocks, mine);
      Payload[] values = parts.stream().map(Broadcast::value).toArray(Payload[]::new);
      acc.add(Payload.join(values), loss, p.lambda(), rows, mine.length, chunkRows);
    }
    List<GradientAccumulator> out = new ArrayList<>(1);
    out.add(acc);
    return out.iterator();
  }

  /** Positions in [from, to) of the sorted global batch, made local to the partition. */
  static long[] localPositions(long[] sortedGlobal, long from, long to) {
    int lo = lowerBound(sortedGlobal, from);
    int hi = lowerBound(sortedGlobal, to);
    long[] out = new long[hi - lo];
    for (int i = lo; i < hi; i++) {
      out[i - lo] = sortedGlobal[i] - from;
    }
    return out;
  }

  private static int lowerBound(long[] a, long key) {
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
  private float[] gather(Iterator<RowBlock> blocks, long[] positions) {
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
