package org.gsae.core.train;

import java.io.IOException;
import java.util.function.Consumer;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.io.TrainerState;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * Trains a {@link GatedSae} on one machine: the original Python API ({@code SaeTrainer(sae,
 * lr)}, {@code trainStep(x)}, {@code train(dataset, epochs)}) over the same
 * {@link GradientAccumulator} and {@link ShardUpdate} the Spark trainers use, so one partition
 * reproduces this trainer bit for bit. Here the whole model is one shard, updated in place. As
 * a {@link Trainer} it takes a step's rows as a tensor [B, d_in]; Spark's local mode runs
 * its steps through one of these.
 *
 * <p>The model's own {@link GatedSae#sparsityCoefficient()} is the target lambda (so
 * {@link GatedSae#setLambda} takes effect on the next step); {@code train.sparsity_warmup_steps}
 * ramps up to it.
 */
public final class SaeTrainer implements Trainer<Tensor> {
  /** Rows evaluated at once; bounds the [chunk, d_sae] intermediates. */
  public static final int DEFAULT_CHUNK_ROWS = 4096;

  private final GatedSae sae;
  private final TrainConfig config;
  private final GatedLoss loss;
  private final ShardUpdate update;
  private Shard adamM;   // null until the first step (or a restore)
  private Shard adamV;
  private SaeParameters gradSums;   // one step's gradient sums, reused (GradientAccumulator#reusing)
  private final int chunkRows;
  private int threads = 1;
  private long step;

  /** Default recipe (see {@link TrainConfig#defaults()}) with the given learning rate. */
  public SaeTrainer(GatedSae sae, double lr) {
    this(sae, TrainConfig.defaults().withLr(lr).withSparsityCoefficient(sae.sparsityCoefficient()));
  }

  /** Trains {@code sae} with {@code config}; sets the model's lambda to the config's. */
  public SaeTrainer(GatedSae sae, TrainConfig config) {
    this(sae, config, DEFAULT_CHUNK_ROWS);
  }

  public SaeTrainer(GatedSae sae, TrainConfig config, int chunkRows) {
    this(sae, config, chunkRows, new GatedLoss(config.variant(), config.auxCoefficient()));
  }

  /** With an explicit loss (for example another dense/sparse switch point); its variant must match. */
  public SaeTrainer(GatedSae sae, TrainConfig config, int chunkRows, GatedLoss loss) {
    if (sae.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("training runs in float32; the model is " + sae.dtype());
    }
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
    }
    this.sae = sae;
    this.config = config;
    this.chunkRows = chunkRows;
    if (loss.variant() != config.variant()) {
      throw new IllegalArgumentException("loss variant " + loss.variant() + " differs from the config's "
          + config.variant());
    }
    this.loss = loss;
    this.update = new ShardUpdate(config);
    sae.setLambda(config.sparsityCoefficient());
  }

  /**
   * One optimiser step on a batch.
   *
   * @param batch activations [B, d_in] (float32)
   */
  public StepMetrics trainStep(Tensor batch) {
    return trainStep(batch.cast(DType.FLOAT32).toFloatArray(), (int) batch.rows());
  }

  /** {@link #trainStep(Tensor)}: one step on rows [B, d_in]. */
  @Override
  public StepMetrics step(Tensor rows) {
    return trainStep(rows);
  }

  /** One optimiser step on {@code rows} row-major rows [rows, d_in]. */
  public StepMetrics trainStep(float[] rows, int count) {
    SaeParameters p = sae.parameters();
    double lambda = lambdaAt(step);
    if (gradSums == null) {
      gradSums = SaeParameters.zeros(p.dIn(), p.dSae(), DType.FLOAT32);
    }
    GradientAccumulator acc = GradientAccumulator.reusing(gradSums)
        .add(p, loss, lambda, rows, count, chunkRows, threads);
    return applyStep(acc, lambda);
  }

  /**
   * Applies a step whose gradient sums were computed elsewhere (for example merged from
   * Spark partitions): divides by the row count, then clip, project, optimiser, renormalise.
   */
  public StepMetrics applyStep(GradientAccumulator acc, double lambda) {
    double lr = Schedules.learningRate(config, step);
    GradientAccumulator.Mean mean = acc.takeMean();
    double gradNorm = Math.sqrt(mean.squares());
    if (adamM == null) {
      ShardLayout whole = ShardLayout.of(sae.dInput(), sae.dHidden(), 1);
      adamM = Shard.zeros(whole, 0);
      adamV = Shard.zeros(whole, 0);
    }
    update.apply(Shard.view(sae.parameters()), adamM, adamV, Shard.view(mean.gradient()), gradNorm,
        step);
    step++;
    return StepMetrics.of(step, acc.loss(), lr, lambda, gradNorm);
  }

  /** The sparsity coefficient for step index {@code t}: the model's lambda times the warm-up ramp. */
  public double lambdaAt(long t) {
    return Schedules.sparsityCoefficient(config, sae.sparsityCoefficient(), t);
  }

  /**
   * Trains for {@code epochs} passes over the data in global batches of
   * {@code train.batch_size} rows drawn by {@link BatchPlan} (seeded by {@code train.seed}).
   *
   * @return one {@link StepMetrics} per step
   */
  public TrainHistory train(ActivationDataset dataset, int epochs) {
    long steps = (long) Math.ceil((double) epochs * dataset.rows() / config.batchSize());
    return train(dataset, steps, null);
  }

  /**
   * Runs {@code steps} more steps ({@link StepLoop}), calling {@code listener} (may be null)
   * after each; a step whose loss or gradient norm is not finite stops training with a USAGE
   * error.
   */
  public TrainHistory train(ActivationDataset dataset, long steps,
      Consumer<StepMetrics> listener) {
    if (dataset.dIn() != sae.dInput()) {
      throw new IllegalArgumentException("dataset rows have " + dataset.dIn()
          + " values but the model's d_in is " + sae.dInput());
    }
    BatchPlan plan = new BatchPlan(dataset.rows(), config.batchSize(), config.seed(), config.shuffle());
    TrainHistory h = new TrainHistory();
    StepLoop.run(this, step + steps, t -> dataset.gather(plan.indices(t)), m -> {
      h.add(m);
      if (listener != null) {
        listener.accept(m);
      }
    });
    return h;
  }

  /**
   * Runs each step on {@code threads} worker threads (default 1); results do not depend on
   * the thread count. Set as many BLAS threads ({@link org.gsae.core.tensor.Backend#setBlasThreads}).
   */
  public SaeTrainer withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    return this;
  }

  /** Worker threads of a step ({@link #withThreads}). */
  public int threads() {
    return threads;
  }

  /** Steps taken so far (the index of the next step). */
  public long step() {
    return step;
  }

  /**
   * Continues from {@code state} (a checkpoint, another trainer): its step count, parameters
   * (copied into this trainer's model) and Adam's moments.
   */
  public void restore(TrainerState state) {
    if (state.dIn() != sae.dInput() || state.dSae() != sae.dHidden()) {
      throw new IllegalArgumentException("the state is d_in=" + state.dIn() + ", d_sae="
          + state.dSae() + " but the model is d_in=" + sae.dInput() + ", d_sae=" + sae.dHidden());
    }
    int k = SaeParameters.NAMES.size();
    float[][] m = new float[k][];
    float[][] v = new float[k][];
    for (int i = 0; i < k; i++) {
      float[] p = sae.parameters().tensors().get(i).floatView();
      try {
        state.read(Part.PARAMS, i, 0, p, 0, p.length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("restoring " + Part.PARAMS.tensorName(i), e);
      }
      if (state.step() > 0) {
        m[i] = state.values(Part.ADAM_M, i);
        v[i] = state.values(Part.ADAM_V, i);
      }
    }
    this.step = state.step();
    adamM = state.step() > 0 ? Shard.of(sae.dInput(), m) : null;
    adamV = state.step() > 0 ? Shard.of(sae.dInput(), v) : null;
  }

  @Override
  public int dIn() {
    return sae.dInput();
  }

  @Override
  public int dSae() {
    return sae.dHidden();
  }

  @Override
  public void write(Part part, int tensor, FloatSink sink) throws IOException {
    float[] a = switch (part) {
      case PARAMS -> sae.parameters().tensors().get(tensor).floatView();
      case ADAM_M -> adamM == null ? new float[segmentLength(tensor)] : adamM.segment(tensor);
      case ADAM_V -> adamV == null ? new float[segmentLength(tensor)] : adamV.segment(tensor);
    };
    sink.write(a, 0, a.length);
  }

  private int segmentLength(int tensor) {
    return (int) sae.parameters().tensors().get(tensor).length();
  }

  public GatedSae model() {
    return sae;
  }

  @Override
  public TrainConfig config() {
    return config;
  }

  public GatedLoss loss() {
    return loss;
  }

  public int chunkRows() {
    return chunkRows;
  }
}
