package org.gsae.spark.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.Errors;
import org.gsae.core.io.Checkpoint;
import org.gsae.core.io.CheckpointIO;
import org.gsae.core.io.HadoopFiles;
import org.gsae.core.io.LoadedModel;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.io.Provenance;
import org.gsae.core.io.TrainerState;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.StepLoop;
import org.gsae.core.train.StepMetrics;
import org.gsae.core.train.TrainConfig;
import org.gsae.core.train.Trainer;
import org.gsae.core.train.WindowPlan;
import org.gsae.spark.output.OutputLock;
import org.gsae.spark.output.Overlap;
import org.gsae.spark.output.ReplaceableOutput;
import org.gsae.spark.output.StaleTemporaries;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.PackOptions;
import org.gsae.spark.store.PackedStore;
import org.gsae.spark.store.StoreWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code train} job: open the store and cut it into windows, initialise the model (or
 * resume from the newest complete checkpoint under {@code output.path/checkpoints}), run the
 * steps (reading the store window by window, {@link WindowCache}) with progress and periodic
 * checkpoints, then write {@code output.path/model} and {@code output.path/metrics.parquet}.
 * Re-running the same command resumes and, because a step is a pure function of (parameters,
 * optimiser state, step index) and the checkpoint records where the step's rows come from,
 * ends bit-identical to an uninterrupted run.
 */
public final class TrainingRun {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  /** The trained model, under {@code output.path}. */
  public static final String MODEL = "model";
  /** One row per step, under {@code output.path}. */
  public static final String METRICS = "metrics.parquet";
  /** Rows of the store averaged for the {@code b_dec} initialisation. */
  static final int MEAN_SAMPLE_ROWS = 65_536;
  /** Complete checkpoints kept; older ones are deleted once a newer one is complete. */
  static final int KEEP_CHECKPOINTS = 2;
  /** Losses of the whole training state survived by resuming from a checkpoint. */
  private static final int STATE_LOSSES = 3;

  private final SparkSession spark;
  private final TrainingSpec spec;
  private final StepListener listener;
  /** The step this command started at (-1 until known); a recovery resumes at a later one. */
  private long commandStart = -1;

  public TrainingRun(SparkSession spark, TrainingSpec spec, StepListener listener) {
    this.spark = spark;
    this.spec = spec;
    this.listener = listener == null ? StepListener.NONE : listener;
  }

  /** Runs the job; user-facing failures are {@link org.gsae.core.error.GsaeException}s. */
  public TrainingReport run() {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path out = new Path(spec.outputPath());
    Path ckptRoot = new Path(out, "checkpoints");
    Path metricsPath = new Path(out, METRICS);
    Path modelPath = new Path(out, MODEL);
    if (spec.initFrom() != null) {
      Overlap.refuse(conf, "model.init_from", spec.initFrom(), "output.path", spec.outputPath());
    }
    try (OutputLock lock = OutputLock.claim(conf, "input.path", spec.input().path(),
        "output.path", spec.outputPath())) {
      FileSystem outFs = HadoopFiles.fileSystem(out, conf);
      Path qout = outFs.makeQualified(out);
      ReplaceableOutput.check(outFs, outFs.makeQualified(modelPath), ModelDirectory.CFG_FILE,
          "train model", ModelDirectory::isModelFile);
      ReplaceableOutput.check(outFs, outFs.makeQualified(metricsPath), "_SUCCESS", "train metrics",
          ReplaceableOutput::isSparkDatasetEntry);
      StaleTemporaries.clean(outFs, qout,
          name -> name.equals(MODEL) || name.equals(METRICS));
      StaleTemporaries.clean(outFs, outFs.makeQualified(ckptRoot),
          name -> name.matches("step-\\d+"));
      for (int attempt = 1; ; attempt++) {
        try {
          return runOwning(conf, ckptRoot, metricsPath, modelPath);
        } catch (DistributedTrainer.StateLostException e) {
          // Every copy of a shard went with its executors: resume from the newest checkpoint,
          // which (a step being a pure function of its inputs) ends with the same bits.
          if (attempt >= STATE_LOSSES) {
            throw e;
          }
          LOG.warn("{}; resuming from the newest checkpoint under {}", e.getMessage(), ckptRoot);
        }
      }
    }
  }

  /** The run, once it owns {@code output.path}. */
  private TrainingReport runOwning(Configuration conf, Path ckptRoot, Path metricsPath,
      Path modelPath) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ActivationStore store = ActivationStore.open(spark, spec.input());
    WindowCache cache = null;
    Trainer<StepRows> trainer = null;
    try {
      if (spec.storeCheck() != null) {
        spec.storeCheck().accept(store);
      }
      Optional<Checkpoint> resume = CheckpointIO.latestComplete(ckptRoot, conf);
      DataCursor recorded = resume.map(c -> DataCursor.of(c.state())).orElse(null);
      long budget = recorded != null && recorded.windowBytes() > 0 ? recorded.windowBytes()
          : spec.window().bytes() > 0 ? spec.window().bytes()
          : WindowBudget.auto(jsc, spec.window().prefetch());
      List<StoreWindow> windows = store.windows(budget);
      if (recorded != null) {
        recorded.checkWindows(windows.size(), store.totalBytes(), resume.get().dir().toString());
      }
      int partitions = windows.size() > 1 && spec.partitions() == 0 ? jsc.defaultParallelism()
          : spec.partitions();
      TrainConfig tc = spec.train();
      WindowPlan plan = new WindowPlan(windows.size(), tc.batchSize(), tc.seed(), tc.shuffle());
      cache = new WindowCache(jsc, store, windows,
          PackOptions.defaults().withPartitions(partitions), plan, spec.window().prefetch());
      WindowPlan.Cursor cursor = recorded != null ? recorded.cursor() : WindowPlan.Cursor.START;
      PackedStore first = cache.first(cursor == null ? 0 : cursor.visit());
      if (cursor == null) {   // a checkpoint of one window that records only its step
        cursor = WindowPlan.cursorOfStep(resume.get().step(), tc.batchSize(), first.validRows());
      }
      int dIn = cache.dIn();
      // model.init_from is read only when there is no checkpoint to resume from.
      LoadedModel init = resume.isEmpty() && spec.initFrom() != null
          ? ModelDirectory.load(new Path(spec.initFrom()), conf) : null;
      int dSae = spec.dSaeForDIn() != null ? spec.dSaeForDIn().applyAsInt(dIn)
          : resume.isPresent() ? resume.get().dSae() : init.params().dSae();
      String fingerprint = store.files().fingerprint(dIn);
      LOG.info("store {}: {} rows, {} bytes in {} files, read in {} window(s) of at most {} bytes"
          + " ({} partitions each); d_in={}, d_sae={}", spec.input().path(), store.totalRows(),
          store.totalBytes(), store.files().files(), windows.size(), budget, first.numPartitions(),
          dIn, dSae);

      long startStep = 0;
      List<StepMetrics> history = new ArrayList<>();
      TrainerState initial;
      if (resume.isPresent()) {
        Checkpoint c = resume.get();
        checkCompatible(c, dIn, dSae, fingerprint);
        initial = c;   // read shard by shard as the trainer stores it
        startStep = c.step();
        history.addAll(MetricsTable.readUpTo(spark, metricsPath, startStep));
        LOG.info("resuming from checkpoint {} (step {})", c.dir(), startStep);
      } else {
        initial = TrainerState.initial(initialParameters(first, init, dIn, dSae));
      }

      Map<String, Object> recordedConfig = Provenance.canonicalConfig(spec.config());
      if (resume.isPresent()) {
        Provenance before = resume.get().info().provenance();
        recordedConfig = ResumePolicy.check(before == null ? Map.of() : before.trainConfig(),
            recordedConfig, startStep, resume.get().dir().toString());
      }
      Provenance prov = Provenance.of(recordedConfig, tc.seed(), spec.input().path(),
          fingerprint, startStep);
      if (commandStart < 0) {
        commandStart = startStep;
      }
      trainer = trainer(jsc, tc, initial);
      // On a cluster the driver held the initial state only until it was stored as blocks.
      initial = null;
      resume = Optional.empty();
      init = null;
      ProgressReporter progress = new ProgressReporter(tc.steps(), tc.logEvery(),
          System.console() != null);
      long every = tc.checkpointEvery();
      long t0 = System.nanoTime();
      int before = history.size();
      cache.advance(cursor);
      Batches batches = new Batches(plan, cursor, cache, store);
      Trainer<StepRows> stepper = trainer;
      StepLoop.run(trainer, tc.steps(), t -> batches.next(), m -> {
        batches.taken(stepper.step() < tc.steps());
        history.add(m);
        progress.onStep(m);
        boolean ckpt = every > 0 && m.step() % every == 0 && m.step() < tc.steps();
        if (ckpt) {
          // Metrics first: a resume keeps only rows up to its checkpoint's step, so metrics
          // ahead of the newest checkpoint are harmless, while metrics behind it would lose
          // the steps in between for good if the driver died between the two writes.
          MetricsTable.write(spark, metricsPath, history);
          checkpoint(stepper, ckptRoot, prov, fingerprint, m,
              new DataCursor(batches.cursor, budget, windows.size()), conf);
        }
        listener.afterStep(m, ckpt);
      });
      StepMetrics last = history.isEmpty() ? null : history.get(history.size() - 1);
      long rowsDone = history.subList(before, history.size()).stream()
          .mapToLong(StepMetrics::rows).sum();
      double wall = (System.nanoTime() - t0) / 1e9;
      // The final state is a checkpoint too, so re-running a finished job is a no-op resume;
      // metrics before it, as in the loop.
      MetricsTable.write(spark, metricsPath, history);
      checkpoint(trainer, ckptRoot, prov, fingerprint, last,
          new DataCursor(batches.cursor, budget, windows.size()), conf);
      ModelDirectory.save(modelPath, trainer, info(prov, trainer.step(), last), true, conf);
      // After a recovery inside this command (a lost state shard), the command's own start.
      long from = commandStart >= 0 ? commandStart : startStep;
      long stepsRun = trainer.step() - from;
      long[] peaks = cache.storagePeaks();
      LOG.info("trained {} steps in {} s, {} s of it waiting for windows to be packed (packing "
          + "took {} s in all, mostly in the background); peak executor storage memory in use"
          + " {} of {} MB, peak cached blocks on disk {} MB; model at {}", stepsRun,
          String.format("%.1f", wall), String.format("%.1f", cache.waitSeconds()),
          String.format("%.1f", cache.packSeconds()), peaks[0] >> 20, peaks[1] >> 20,
          peaks[2] >> 20, modelPath);
      return new TrainingReport(dIn, dSae, cache.knownValidRows(), cache.knownSkippedRows(),
          first.numPartitions(), windows.size(), cache.waitSeconds(), from, stepsRun, last,
          wall, wall > 0 ? rowsDone / wall : 0, modelPath.toString(), metricsPath.toString());
    } finally {
      if (trainer != null) {
        trainer.close();
      }
      if (cache != null) {
        cache.close();
      }
      store.close();
    }
  }

  /**
   * Local mode without a fixed {@code spark.partitions}: {@link InProcessTrainer} (each step in
   * this JVM on all its cores); otherwise {@link DistributedTrainer} (the state in shards on
   * the executors, one partial gradient per partition).
   */
  private Trainer<StepRows> trainer(JavaSparkContext jsc, TrainConfig tc, TrainerState initial) {
    if (InProcessTrainer.usedFor(jsc, spec.partitions())) {
      int threads = Math.max(1, jsc.defaultParallelism());
      LOG.info("local mode: each step runs in this JVM on {} thread(s), one gradient over the"
          + " whole batch (set spark.partitions to sum it partition by partition as a cluster"
          + " does)", threads);
      return new InProcessTrainer(jsc, tc, initial, threads);
    }
    return new DistributedTrainer(jsc, tc, initial, 0);
  }

  /**
   * The steps' rows window by window: {@link #next} gives the next step's, {@link #taken}
   * moves the cursor past them once the step ran (and starts reading the next step's window).
   */
  private static final class Batches {
    private final WindowPlan plan;
    private final WindowCache cache;
    private final ActivationStore store;
    private WindowPlan.Cursor cursor;
    private WindowPlan.Batch batch;

    Batches(WindowPlan plan, WindowPlan.Cursor cursor, WindowCache cache, ActivationStore store) {
      this.plan = plan;
      this.cursor = cursor;
      this.cache = cache;
      this.store = store;
    }

    /** The next step's rows; a store with no valid row in any window is an input error. */
    StepRows next() {
      try {
        batch = plan.batch(cursor, cache::validRows);
      } catch (WindowPlan.NoValidRowException e) {
        throw store.noValidRow();
      }
      return StepRows.of(cache.packed(batch.windows()), batch.rows());
    }

    /** The step on {@link #next}'s rows ran; {@code more}: another step follows. */
    void taken(boolean more) {
      cursor = batch.next();
      if (more) {
        cache.advance(cursor);
      }
    }
  }

  /**
   * Fresh parameters, or those of {@code model.init_from}; {@code b_dec} starts at the mean of
   * the first rows of the first window read.
   */
  private SaeParameters initialParameters(PackedStore packed, LoadedModel init, int dIn, int dSae) {
    if (init != null) {
      if (init.params().dIn() != dIn || init.params().dSae() != dSae) {
        // d_in comes from the store, so only another model (or store) can fix a d_in mismatch.
        String fix = init.params().dIn() != dIn
            ? "point model.init_from at a model trained on activations of width d_in=" + dIn
                + " (or input.path at a store of width " + init.params().dIn()
                + "), or drop model.init_from"
            : "set model.d_sae (or model.expansion_factor) to match the model, or leave both"
                + " unset to take the model's width, or drop model.init_from";
        throw Errors.usage("model.init_from has d_in=" + init.params().dIn() + ", d_sae="
            + init.params().dSae() + " but this run needs d_in=" + dIn + ", d_sae=" + dSae,
            spec.initFrom(), fix);
      }
      LOG.info("initialised from {}", spec.initFrom());
      return init.params();
    }
    float[] mean = packed.sampleMean((int) Math.min(MEAN_SAMPLE_ROWS, packed.validRows()));
    return SaeInit.initialize(dIn, dSae, spec.train().seed(), mean);
  }

  private void checkCompatible(Checkpoint c, int dIn, int dSae, String fingerprint) {
    String where = c.dir().toString();
    String fix = "use a new output.path, or delete " + c.dir().getParent() + " to start over";
    if (c.dIn() != dIn || c.dSae() != dSae) {
      throw Errors.usage("the checkpoint to resume has d_in=" + c.dIn() + ", d_sae="
          + c.dSae() + " but this run has d_in=" + dIn + ", d_sae=" + dSae, where, fix);
    }
    String prior = c.info().provenance() == null ? null : c.info().provenance().inputFingerprint();
    if (prior != null && !prior.equals(fingerprint)) {
      throw Errors.usage("the checkpoint to resume was trained on a different activation store "
          + "(fingerprint " + prior + ", this store " + fingerprint + ")", where, fix);
    }
  }

  private void checkpoint(TrainerState trainer, Path root, Provenance prov,
      String fingerprint, StepMetrics last, DataCursor cursor, Configuration conf) {
    long step = trainer.step();
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("step", step);
    state.put("seed", spec.train().seed());
    state.put("data_cursor", cursor.toJson(step, spec.train().batchSize(), spec.train().shuffle()));
    state.put("input_fingerprint", fingerprint);
    CheckpointIO.write(CheckpointIO.stepDir(root, step), trainer, info(prov, step, last), state,
        conf);
    CheckpointIO.prune(root, KEEP_CHECKPOINTS, conf);
  }

  /**
   * cfg.json's SAELens {@code metadata} (architecture, training store, steps, the last step's
   * batch L0; an analysis after training adds the store's L0 and dead features) and gsae's
   * provenance.
   */
  private ModelInfo info(Provenance prov, long step, StepMetrics last) {
    ModelInfo info = ModelInfo.empty()
        .withMetadata("architecture", "gated")
        .withMetadata("dataset_path", spec.input().path())
        .withMetadata("training_steps", step);
    if (last != null) {
      info = info.withMetadata("final_batch_l0", last.l0());
    }
    return info.withProvenance(prov.withStepsTrained(step));
  }
}
