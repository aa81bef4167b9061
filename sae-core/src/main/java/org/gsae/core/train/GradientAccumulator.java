package org.gsae.core.train;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.loss.LossSums;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.optim.GradientNorm;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * The per-partition work of one data-parallel training step as a mergeable aggregator
 * (after Spark MLlib's {@code DifferentiableLossAggregator}): {@link #add} blocks of rows,
 * {@link #merge} partial results, then {@link #takeMeanGradient} once on the driver.
 *
 * <p>The gradient sum is six float32 arrays shaped like the parameters (never an ND4J
 * object); Java serialisation writes them in bulk, in {@link SaeParameters#NAMES} order.
 * Rows are processed in chunks of at most {@code chunkRows} so the [chunk, d_sae]
 * intermediates stay bounded; the chunking is a deterministic function of the block, so the
 * same rows give bit-identical sums.
 *
 * <p>Not thread-safe; one instance per task.
 */
public final class GradientAccumulator implements Serializable {
  private static final long serialVersionUID = 3L;

  private final int dIn;
  private final int dSae;
  private transient SaeParameters gradSum;   // null until the first add; serialised in bulk below
  private transient boolean taken;
  private LossSums loss = LossSums.EMPTY;

  public GradientAccumulator(int dIn, int dSae) {
    this.dIn = dIn;
    this.dSae = dSae;
  }

  /**
   * An accumulator whose gradient sums are {@code sums}' arrays, zeroed first: a trainer that
   * steps many times keeps one set instead of allocating 4 x |theta| bytes a step (G1
   * humongous allocations, each starting a concurrent marking cycle that took CPU from the
   * step on a 2-core machine: one every four steps at 784 x 6272, batch 256). The arrays are
   * the accumulator's until {@link #takeMeanGradient} or {@link #takeSums} hands them back.
   *
   * @param sums float32 arrays shaped like the parameters; their values are discarded
   */
  public static GradientAccumulator reusing(SaeParameters sums) {
    if (sums.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("gradient sums are float32, got " + sums.dtype());
    }
    GradientAccumulator a = new GradientAccumulator(sums.dIn(), sums.dSae());
    for (Tensor t : sums.tensors()) {
      t.zeroInPlace();
    }
    a.gradSum = sums;
    return a;
  }

  /**
   * Adds the loss and gradient sums of a block of rows.
   *
   * @param params    the step's parameters (float32)
   * @param lossFn    the objective
   * @param lambda    sparsity coefficient of this step
   * @param rows      row-major activations [count, d_in]
   * @param count     number of rows in {@code rows}
   * @param chunkRows maximum rows per evaluation chunk
   * @return this
   */
  public GradientAccumulator add(SaeParameters params, GatedLoss lossFn, double lambda,
      float[] rows, int count, int chunkRows) {
    return add(params, lossFn, lambda, rows, count, chunkRows, 1);
  }

  /**
   * As {@link #add(SaeParameters, GatedLoss, double, float[], int, int)}, with {@code threads}
   * worker threads inside the step (rows split for the forward pass, features for the
   * backward pass); the sums do not depend on {@code threads}. Run BLAS with as many threads
   * ({@link org.gsae.core.tensor.Backend#setBlasThreads}).
   */
  public GradientAccumulator add(SaeParameters params, GatedLoss lossFn, double lambda,
      float[] rows, int count, int chunkRows, int threads) {
    requireNotTaken();
    if (params.dIn() != dIn || params.dSae() != dSae) {
      throw new IllegalArgumentException("parameters are d_in=" + params.dIn() + ", d_sae="
          + params.dSae() + " but the accumulator is d_in=" + dIn + ", d_sae=" + dSae);
    }
    if (rows.length < (long) count * dIn) {
      throw new IllegalArgumentException("block holds " + rows.length + " values, " + count
          + " rows of d_in=" + dIn + " need " + (long) count * dIn);
    }
    if (gradSum == null) {
      gradSum = SaeParameters.zeros(dIn, dSae, DType.FLOAT32);
    }
    loss = loss.merge(lossFn.accumulate(params, rows, count, chunkRows, lambda, gradSum, threads));
    return this;
  }

  /** Adds {@code other}'s sums into this one; returns this. Merge order is the caller's to fix. */
  public GradientAccumulator merge(GradientAccumulator other) {
    requireNotTaken();
    other.requireNotTaken();
    if (other.dIn != dIn || other.dSae != dSae) {
      throw new IllegalArgumentException("cannot merge accumulators of d_in=" + other.dIn
          + ", d_sae=" + other.dSae + " into d_in=" + dIn + ", d_sae=" + dSae);
    }
    if (other.gradSum != null) {
      if (gradSum == null) {
        gradSum = other.gradSum.map(Tensor::copy);
      } else {
        for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
          gradSum.tensors().get(i).addInPlace(other.gradSum.tensors().get(i));
        }
      }
    }
    loss = loss.merge(other.loss);
    return this;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    requireNotTaken();
    out.defaultWriteObject();
    out.writeBoolean(gradSum != null);
    if (gradSum != null) {
      FloatArrays.writeParameters(out, gradSum);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (in.readBoolean()) {
      gradSum = FloatArrays.readParameters(in);
      if (gradSum.dIn() != dIn || gradSum.dSae() != dSae) {
        throw new InvalidObjectException("gradient of d_in=" + gradSum.dIn() + ", d_sae="
            + gradSum.dSae() + " in an accumulator of d_in=" + dIn + ", d_sae=" + dSae);
      }
    }
  }

  public long rows() {
    return loss.rows();
  }

  public LossSums loss() {
    return loss;
  }

  /** The step's mean gradient and its squared global norm ({@link GradientNorm#sumSquares}). */
  public record Mean(SaeParameters gradient, double squares) {}

  /**
   * The mean gradient (sum / rows) and its squared norm, made in one pass by dividing the sums
   * in place ({@link GradientNorm#meanInPlace}) and handing them over: no copy of the
   * 4 x (2 n m + 3 m + n) bytes, but the accumulator cannot be used after this call. Requires
   * at least one row.
   */
  public Mean takeMean() {
    requireNotTaken();
    if (loss.rows() == 0 || gradSum == null) {
      throw new IllegalStateException("no rows were added: the global batch was empty");
    }
    double squares = GradientNorm.meanInPlace(gradSum, loss.rows());
    Mean mean = new Mean(gradSum, squares);
    gradSum = null;
    taken = true;
    return mean;
  }

  /** {@link #takeMean}'s gradient. */
  public SaeParameters takeMeanGradient() {
    return takeMean().gradient();
  }

  /**
   * The gradient sums themselves (not divided by the row count), handed over like
   * {@link #takeMeanGradient}; null when no row was added. For a caller that reduces sums
   * elsewhere (a Spark task cutting them into shards).
   */
  public SaeParameters takeSums() {
    requireNotTaken();
    SaeParameters sums = gradSum;
    gradSum = null;
    taken = true;
    return sums;
  }

  private void requireNotTaken() {
    if (taken) {
      throw new IllegalStateException("the mean gradient was already taken from this accumulator");
    }
  }
}
