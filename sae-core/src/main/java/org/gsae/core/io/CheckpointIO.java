package org.gsae.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.SaeParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints (docs/architecture.md §3): a model directory ({@link ModelDirectory}) plus
 * {@code trainer_state.safetensors} (named F32 tensors: optimiser moments and the like) and
 * {@code trainer_state.json} (a JSON object: step, seed, data cursor, schedules). Each is
 * written atomically as {@code <root>/step-<10-digit step>}, so a directory with that name
 * is complete unless damaged later; {@link #latestComplete} still verifies before trusting.
 */
public final class CheckpointIO {
  /** Trainer tensors file name. */
  public static final String STATE_TENSORS_FILE = "trainer_state.safetensors";
  /** Trainer state file name. */
  public static final String STATE_FILE = "trainer_state.json";

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointIO.class);
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{1,18})");
  private static final long MAX_STATE_BYTES = 64L * 1024 * 1024;
  private static final String FIX = "delete this checkpoint directory to resume from an older one";

  private CheckpointIO() {}

  /** The directory name for {@code step}: {@code step-} and 10 zero-padded digits. */
  public static String dirName(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    return String.format("step-%010d", step);
  }

  /** {@code root/step-NNNNNNNNNN}. */
  public static Path stepDir(Path root, long step) {
    return new Path(root, dirName(step));
  }

  /**
   * Writes a checkpoint directory atomically, replacing an existing one of the same name.
   *
   * @param dir          the checkpoint directory, normally {@link #stepDir}
   * @param params       float32 parameters
   * @param info         cfg.json metadata and provenance
   * @param stateTensors named float32 tensors, for example {@code adam.v.W_enc}
   * @param state        JSON-able trainer state
   * @param conf         Hadoop configuration, or null for {@code new Configuration()}
   */
  public static void write(Path dir, SaeParameters params, ModelInfo info,
      Map<String, ShapedFloats> stateTensors, Map<String, ?> state, Configuration conf) {
    ModelDirectory.checkFloat32(params);
    byte[] stateJson = Json.write(Json.canonical(state));
    SafeTensorsWriter tensors = new SafeTensorsWriter();
    stateTensors.forEach(tensors::putFloats);
    AtomicDirectoryWriter.write(dir, true, conf, (fs, tmp) -> {
      ModelDirectory.writeInto(fs, tmp, params, info);
      tensors.write(fs, new Path(tmp, STATE_TENSORS_FILE));
      HadoopFiles.writeBytes(fs, new Path(tmp, STATE_FILE), stateJson);
    });
  }

  /**
   * Reads and validates a checkpoint directory.
   *
   * @throws GsaeException INVALID_INPUT naming the file for anything missing or malformed
   *     (including a directory name that is not {@code step-<digits>}); IO for storage failures
   */
  public static Checkpoint read(Path dir, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(dir, conf);
    Path qdir = fs.makeQualified(dir);
    Matcher m = STEP_DIR.matcher(qdir.getName());
    if (!m.matches()) {
      throw Errors.invalidInput("checkpoint directory name '" + qdir.getName()
          + "' is not step-<digits>", qdir.toString(), "pass a directory named like step-0000001000");
    }
    LoadedModel model = ModelDirectory.readFrom(fs, qdir);
    Path tensorsPath = ModelDirectory.requireFile(fs, qdir, STATE_TENSORS_FILE);
    Path statePath = ModelDirectory.requireFile(fs, qdir, STATE_FILE);
    Map<String, ShapedFloats> tensors = new LinkedHashMap<>();
    try (SafeTensorsReader r = SafeTensorsReader.open(fs, tensorsPath)) {
      for (TensorEntry e : r.header().entries().values()) {
        tensors.put(e.name(), new ShapedFloats(e.shape(), r.readFloats(e.name())));
      }
    }
    JsonNode state = Json.parse(HadoopFiles.readAll(fs, statePath, MAX_STATE_BYTES, STATE_FILE),
        statePath.toString(), STATE_FILE, FIX);
    if (!state.isObject()) {
      throw Errors.invalidInput(STATE_FILE + " must be a JSON object, found " + state.getNodeType(),
          statePath.toString(), FIX);
    }
    return new Checkpoint(qdir, Long.parseLong(m.group(1)), model.params(), model.info(),
        Collections.unmodifiableMap(tensors), Json.toMap(state));
  }

  /**
   * The newest readable checkpoint under {@code root}: lists {@code step-<digits>}
   * subdirectories (temporaries and other names are ignored), newest step first, and returns
   * the first that has all four files and reads without an INVALID_INPUT error. Skipped
   * directories are logged. Storage failures (IO) are not skipped: they propagate.
   *
   * @return empty if {@code root} does not exist or holds no complete checkpoint
   */
  public static Optional<Checkpoint> latestComplete(Path root, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(root, conf);
    FileStatus[] children;
    try {
      children = fs.listStatus(fs.makeQualified(root));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Errors.io("listing checkpoints", root.toString(), e);
    }
    List<FileStatus> candidates = Arrays.stream(children)
        .filter(FileStatus::isDirectory)
        .filter(s -> STEP_DIR.matcher(s.getPath().getName()).matches())
        .sorted(Comparator.comparingLong(CheckpointIO::stepOf).reversed())
        .toList();
    for (FileStatus s : candidates) {
      try {
        return Optional.of(read(s.getPath(), conf));
      } catch (GsaeException e) {
        if (e.code() != ErrorCode.INVALID_INPUT) {
          throw e;
        }
        LOG.warn("skipping incomplete or damaged checkpoint {}: {}", s.getPath(), e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static long stepOf(FileStatus s) {
    Matcher m = STEP_DIR.matcher(s.getPath().getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
