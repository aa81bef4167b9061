package org.gsae.core.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * A gated SAE as a SAELens-format directory (docs/architecture.md §3), on any Hadoop file system:
 * {@code cfg.json} (see {@link CfgJson}) and {@code sae_weights.safetensors} holding the six
 * tensors {@link SaeParameters#NAMES} as F32 ({@code W_enc [d_in, d_sae]}, {@code b_gate},
 * {@code r_mag}, {@code b_mag} {@code [d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_dec [d_in]}).
 *
 * <p>Loading checks that both files exist, that cfg.json describes a gated float32 SAE, and
 * that every tensor is present with dtype F32 and the shape cfg.json's {@code d_in}/
 * {@code d_sae} imply; all mismatches are reported together. A tensor the format does not
 * define is an error too, because SAELens loads the state dict strictly and would refuse the
 * same file. Other files in the directory (for example {@code sparsity.safetensors}) are
 * ignored.
 */
public final class ModelDirectory {
  /** The weights file name. */
  public static final String WEIGHTS_FILE = "sae_weights.safetensors";
  /** The config file name. */
  public static final String CFG_FILE = CfgJson.FILE;

  /** Whether {@code name} is a file gsae writes into a model directory (so may replace). */
  public static boolean isModelFile(String name) {
    return name.equals(CFG_FILE) || name.equals(WEIGHTS_FILE) || name.equals(SparsityFile.FILE);
  }

  private static final String FIX_WEIGHTS = "re-save the model with gsae, or make cfg.json's "
      + "d_in/d_sae match the tensors";

  private ModelDirectory() {}

  /**
   * Writes a model directory atomically (see {@link AtomicDirectoryWriter}).
   *
   * @param dir       the directory to create (any Hadoop path)
   * @param params    float32 parameters
   * @param info      metadata and provenance for cfg.json
   * @param overwrite replace an existing directory; otherwise an existing {@code dir} is an error
   * @param conf      Hadoop configuration, or null for {@code new Configuration()}
   */
  public static void save(Path dir, SaeParameters params, ModelInfo info, boolean overwrite,
      Configuration conf) {
    checkFloat32(params);
    AtomicDirectoryWriter.write(dir, overwrite, conf, (fs, tmp) -> writeInto(fs, tmp, params, info));
  }

  /** {@link #save(Path, SaeParameters, ModelInfo, boolean, Configuration)} with no overwrite and a default configuration. */
  public static void save(Path dir, SaeParameters params, ModelInfo info) {
    save(dir, params, info, false, null);
  }

  /**
   * Writes {@code cfg.json} and {@code sae_weights.safetensors} into an existing directory,
   * not atomically: for use inside an {@link AtomicDirectoryWriter} (checkpoints, outputs
   * that bundle a model).
   */
  public static void writeInto(FileSystem fs, Path dir, SaeParameters params, ModelInfo info) {
    checkFloat32(params);
    writeInto(fs, dir, TrainerState.initial(params), info);
  }

  /**
   * As {@link #writeInto(FileSystem, Path, SaeParameters, ModelInfo)} with the weights streamed
   * from {@code state}'s parameters, tensor by tensor.
   */
  public static void writeInto(FileSystem fs, Path dir, TrainerState state, ModelInfo info) {
    HadoopFiles.writeBytes(fs, new Path(dir, CFG_FILE),
        CfgJson.encode(state.dIn(), state.dSae(), info));
    weights(state, TrainerState.Part.PARAMS).write(fs, new Path(dir, WEIGHTS_FILE));
  }

  /** A safetensors file of parts of {@code state}, streamed when written. */
  static SafeTensorsWriter weights(TrainerState state, TrainerState.Part... parts) {
    SafeTensorsWriter w = new SafeTensorsWriter();
    long[][] shapes = SaeParameters.shapes(state.dIn(), state.dSae());
    for (TrainerState.Part part : parts) {
      for (int i = 0; i < shapes.length; i++) {
        int tensor = i;
        w.putFloats(part.tensorName(i), shapes[i], sink -> state.write(part, tensor, sink));
      }
    }
    return w;
  }

  /** {@link #save} for state held elsewhere (streamed, as {@link #writeInto(FileSystem, Path, TrainerState, ModelInfo)}). */
  public static void save(Path dir, TrainerState state, ModelInfo info, boolean overwrite,
      Configuration conf) {
    AtomicDirectoryWriter.write(dir, overwrite, conf, (fs, tmp) -> writeInto(fs, tmp, state, info));
  }

  /**
   * Adds keys to the {@code metadata} object of an existing model's {@code cfg.json} (for
   * example what an analysis after training learned), replacing the file atomically
   * ({@link AtomicFileWriter}); the weights are not touched.
   *
   * @param values JSON-able values by key; an existing key is overwritten
   * @param conf   Hadoop configuration, or null for {@code new Configuration()}
   */
  public static void addMetadata(Path dir, Map<String, ?> values, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(dir, conf);
    Path cfgPath = requireFile(fs, fs.makeQualified(dir), CFG_FILE);
    CfgJson.Parsed cfg = CfgJson.decode(
        HadoopFiles.readAll(fs, cfgPath, CfgJson.maxBytes(), CFG_FILE), cfgPath.toString());
    ModelInfo info = cfg.info();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      info = info.withMetadata(e.getKey(), e.getValue());
    }
    byte[] bytes = CfgJson.encode(cfg.dIn(), cfg.dSae(), info);
    AtomicFileWriter.write(cfgPath, conf, out -> out.write(bytes));
  }

  /** Reads a model directory with a default Hadoop configuration. */
  public static LoadedModel load(Path dir) {
    return load(dir, null);
  }

  /**
   * Reads and validates a model directory.
   *
   * @param conf Hadoop configuration, or null for {@code new Configuration()}
   * @throws org.gsae.core.error.GsaeException IO if {@code dir} cannot be read or does not
   *     exist; INVALID_INPUT naming the file, key or tensor for anything malformed
   */
  public static LoadedModel load(Path dir, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(dir, conf);
    return readFrom(fs, fs.makeQualified(dir));
  }

  /** Reads and validates the model files in {@code dir} on {@code fs}. */
  public static LoadedModel readFrom(FileSystem fs, Path dir) {
    return withWeights(fs, dir, (cfg, r) -> {
      long[][] shapes = SaeParameters.shapes(cfg.dIn(), cfg.dSae());
      requireHeapFor(cfg.dIn(), cfg.dSae(), r.sourceName());
      List<Tensor> tensors = new ArrayList<>();
      for (int i = 0; i < shapes.length; i++) {
        String name = SaeParameters.NAMES.get(i);
        float[] values = r.readFloats(name);
        requireFinite(name, values, shapes[i], r.sourceName());
        tensors.add(Tensor.of(values, shapes[i]));
      }
      return new LoadedModel(SaeParameters.fromList(tensors), cfg.info());
    });
  }

  /**
   * Checks the model files in {@code dir} without loading the weights: cfg.json, the tensors'
   * names, dtypes and shapes, and every value finite (read a chunk at a time).
   *
   * @return cfg.json as parsed
   */
  static CfgJson.Parsed inspect(FileSystem fs, Path dir) {
    return withWeights(fs, dir, (cfg, r) -> {
      long[][] shapes = SaeParameters.shapes(cfg.dIn(), cfg.dSae());
      for (int i = 0; i < shapes.length; i++) {
        requireFinite(r, SaeParameters.NAMES.get(i), shapes[i]);
      }
      return cfg;
    });
  }

  /** {@code body} over cfg.json and the weights file, once their tensors match cfg.json. */
  private static <T> T withWeights(FileSystem fs, Path dir,
      BiFunction<CfgJson.Parsed, SafeTensorsReader, T> body) {
    requireDirectory(fs, dir, "model directory");
    Path cfgPath = requireFile(fs, dir, CFG_FILE);
    Path weightsPath = requireFile(fs, dir, WEIGHTS_FILE);
    CfgJson.Parsed cfg = CfgJson.decode(
        HadoopFiles.readAll(fs, cfgPath, CfgJson.maxBytes(), CFG_FILE), cfgPath.toString());
    try (SafeTensorsReader r = SafeTensorsReader.open(fs, weightsPath)) {
      checkTensors(r, cfg, SaeParameters.shapes(cfg.dIn(), cfg.dSae()));
      return body.apply(cfg, r);
    }
  }

  /** {@link #requireFinite(String, float[], long[], String)} over a file's tensor, in chunks. */
  static void requireFinite(SafeTensorsReader r, String name, long[] shape) {
    try {
      r.streamFloats(name, (from, v, len) -> requireFinite(name, v, len, from, shape,
          r.sourceName()));
    } catch (IOException e) {
      throw new IllegalStateException(e);   // the check itself throws nothing checked
    }
  }

  /**
   * Refuses, before allocating anything, a model whose weights alone exceed this JVM's maximum
   * heap: an {@link OutOfMemoryError} half-way through reading would say nothing useful.
   */
  static void requireHeapFor(int dIn, int dSae, String file) {
    long need = 4L * SaeParameters.parameterCount(dIn, dSae);
    long max = Runtime.getRuntime().maxMemory();
    if (need > max) {
      throw Errors.memory("the model's weights need " + need + " bytes (d_in=" + dIn + ", d_sae="
          + dSae + ") but this JVM's heap is at most " + max + " bytes", file,
          "give the JVM a heap of at least " + ((2 * need >> 30) + 1) + " GiB (bin/sae:"
          + " GSAE_JAVA_OPTS=-Xmx" + ((2 * need >> 30) + 1) + "g; spark-submit: --driver-memory,"
          + " i.e. spark.driver.memory, and spark.executor.memory), or use a smaller model");
    }
  }

  /**
   * A model (or checkpoint state) with a NaN or an infinity would train or analyse into
   * silently wrong numbers (a feature with a NaN weight never fires and reads as dead), so it
   * is invalid input naming the tensor and the element.
   *
   * @param shape the tensor's shape, to name the element by its indices
   */
  public static void requireFinite(String name, float[] values, long[] shape, String file) {
    requireFinite(name, values, values.length, 0, shape, file);
  }

  /** The first {@code length} values of {@code values}, which start at flat index {@code base}. */
  private static void requireFinite(String name, float[] values, int length, long base,
      long[] shape, String file) {
    for (int j = 0; j < length; j++) {
      if (!Float.isFinite(values[j])) {
        long i = base + j;
        StringBuilder at = new StringBuilder();
        long rest = i;
        for (int d = shape.length - 1; d >= 0; d--) {
          at.insert(0, (d > 0 ? ", " : "") + rest % shape[d]);
          rest /= shape[d];
        }
        throw Errors.invalidInput("tensor '" + name + "' has " + values[j] + " at [" + at
            + "] (flat index " + i + "); a model's weights must be finite", file,
            "use a model saved before training diverged (an earlier checkpoint), or retrain");
      }
    }
  }

  private static void checkTensors(SafeTensorsReader r, CfgJson.Parsed cfg, long[][] shapes) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      String name = SaeParameters.NAMES.get(i);
      String want = Arrays.toString(shapes[i]);
      TensorEntry e = r.header().entry(name);
      if (e == null) {
        problems.add("tensor '" + name + "' is missing (expected F32 " + want + ")");
      } else if (e.dtype() != SafeTensorsDType.F32 || !e.hasShape(shapes[i])) {
        problems.add("tensor '" + name + "' is " + e.dtype() + " " + e.shapeString()
            + ", expected F32 " + want);
      }
    }
    Set<String> extra = new TreeSet<>(r.header().entries().keySet());
    SaeParameters.NAMES.forEach(extra::remove);
    if (!extra.isEmpty()) {
      problems.add("unexpected tensors " + extra + " (a gated SAE has exactly "
          + SaeParameters.NAMES + ")");
    }
    if (!problems.isEmpty()) {
      throw Errors.invalidInput(WEIGHTS_FILE + " does not match cfg.json (d_in=" + cfg.dIn()
          + ", d_sae=" + cfg.dSae() + "): " + String.join("; ", problems), r.sourceName(),
          FIX_WEIGHTS);
    }
  }

  static void checkFloat32(SaeParameters params) {
    if (params.dtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("model files hold float32 parameters, got "
          + params.dtype() + "; cast with params.cast(DType.FLOAT32)");
    }
  }

  /** IO error if {@code dir} does not exist or is not a directory. */
  static void requireDirectory(FileSystem fs, Path dir, String what) {
    try {
      if (!fs.getFileStatus(dir).isDirectory()) {
        throw Errors.invalidInput(what + " is a file, not a directory", dir.toString(),
            "pass the directory that holds " + CFG_FILE + " and " + WEIGHTS_FILE);
      }
    } catch (FileNotFoundException e) {
      throw Errors.io("opening the " + what + " (it does not exist)", dir.toString(), e);
    } catch (IOException e) {
      throw Errors.io("opening the " + what, dir.toString(), e);
    }
  }

  /** The path of {@code name} in {@code dir}; INVALID_INPUT naming it if it is not a file. */
  static Path requireFile(FileSystem fs, Path dir, String name) {
    Path p = new Path(dir, name);
    if (HadoopFiles.exists(fs, p) && !HadoopFiles.isFile(fs, p)) {
      throw Errors.invalidInput(name + " is not a regular file (a directory, FIFO, device or"
          + " socket?)", p.toString(), "replace it with the model file gsae or SAELens wrote");
    }
    if (!HadoopFiles.isFile(fs, p)) {
      throw Errors.invalidInput("model directory has no " + name, p.toString(),
          "pass a directory written by gsae or SAELens (" + CFG_FILE + " + " + WEIGHTS_FILE + ")");
    }
    return p;
  }
}
