package org.gsae.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * {@code checksums.sha256} ({@code sha256sum} format) holds the SHA-256 of the four other
 * files, computed from what was written; a file that no longer matches (a flipped bit on disk
 * or in transfer) makes the checkpoint damaged, and a resume takes the next older one.
 */
public final class CheckpointIO {
  /** Trainer tensors file name. */
  public static final String STATE_TENSORS_FILE = "trainer_state.safetensors";
  /** Trainer state file name. */
  public static final String STATE_FILE = "trainer_state.json";
  /** The checksums of the other files. */
  public static final String CHECKSUM_FILE = "checksums.sha256";
  private static final List<String> CHECKSUMMED = List.of(ModelDirectory.CFG_FILE,
      ModelDirectory.WEIGHTS_FILE, STATE_TENSORS_FILE, STATE_FILE);

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
   * Writes a checkpoint directory atomically, replacing an existing one of the same name:
   * {@code state}'s parameters as the model and its Adam moments as
   * {@code trainer_state.safetensors}, each tensor streamed from {@code state} (for a sharded
   * state, one shard's slice at a time).
   *
   * @param dir   the checkpoint directory, normally {@link #stepDir}
   * @param state the step's parameters and optimiser moments
   * @param info  cfg.json metadata and provenance
   * @param json  JSON-able trainer state (step, seed, data cursor, ...)
   * @param conf  Hadoop configuration, or null for {@code new Configuration()}
   */
  public static void write(Path dir, TrainerState state, ModelInfo info, Map<String, ?> json,
      Configuration conf) {
    byte[] stateJson = Json.write(Json.canonical(json));
    SafeTensorsWriter moments = ModelDirectory.weights(state, TrainerState.Part.ADAM_M,
        TrainerState.Part.ADAM_V);
    AtomicDirectoryWriter.write(dir, true, conf, (fs, tmp) -> {
      ModelDirectory.writeInto(fs, tmp, state, info);
      moments.write(fs, new Path(tmp, STATE_TENSORS_FILE));
      HadoopFiles.writeBytes(fs, new Path(tmp, STATE_FILE), stateJson);
      StringBuilder sums = new StringBuilder();
      for (String name : CHECKSUMMED) {
        sums.append(sha256(fs, new Path(tmp, name))).append("  ").append(name).append('\n');
      }
      HadoopFiles.writeBytes(fs, new Path(tmp, CHECKSUM_FILE),
          sums.toString().getBytes(StandardCharsets.UTF_8));
    });
  }

  /**
   * Deletes all but the newest {@code keep} checkpoints under {@code root}, each moved aside
   * first (one atomic rename) so a process that dies mid-delete never leaves a visible
   * checkpoint directory with files missing. Failures are logged, not thrown: old checkpoints
   * cost space, not correctness.
   */
  public static void prune(Path root, int keep, Configuration conf) {
    FileSystem fs = HadoopFiles.fileSystem(root, conf);
    try {
      List<Path> complete = new java.util.ArrayList<>();
      for (FileStatus st : fs.listStatus(root)) {
        if (st.isDirectory() && STEP_DIR.matcher(st.getPath().getName()).matches()) {
          complete.add(st.getPath());
        }
      }
      complete.sort(Comparator.comparingLong(d -> Long.parseLong(d.getName().substring(5))));
      for (int i = 0; i < complete.size() - keep; i++) {
        Path old = complete.get(i);
        Path aside = new Path(root, "." + old.getName() + ".old-" + java.util.UUID.randomUUID());
        if (fs.rename(old, aside)) {
          fs.delete(aside, true);
        } else {
          LOG.warn("could not move old checkpoint {} aside to delete it", old);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not prune old checkpoints under {}: {}", root, e.toString());
    }
  }

  /**
   * Opens and validates a checkpoint directory: its checksums, cfg.json, the shapes, dtypes and
   * finiteness of every tensor (read a chunk at a time) and trainer_state.json. The tensors
   * are not kept: the {@link Checkpoint} reads them again when asked.
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
    verifyChecksums(fs, qdir);
    CfgJson.Parsed cfg = ModelDirectory.inspect(fs, qdir);
    Path tensorsPath = ModelDirectory.requireFile(fs, qdir, STATE_TENSORS_FILE);
    Path statePath = ModelDirectory.requireFile(fs, qdir, STATE_FILE);
    boolean moments;
    try (SafeTensorsReader r = SafeTensorsReader.open(fs, tensorsPath)) {
      moments = checkMoments(r, cfg.dIn(), cfg.dSae());
    }
    JsonNode state = Json.parse(HadoopFiles.readAll(fs, statePath, MAX_STATE_BYTES, STATE_FILE),
        statePath.toString(), STATE_FILE, FIX);
    if (!state.isObject()) {
      throw Errors.invalidInput(STATE_FILE + " must be a JSON object, found " + state.getNodeType(),
          statePath.toString(), FIX);
    }
    return new Checkpoint(fs, qdir, Long.parseLong(m.group(1)), cfg.dIn(), cfg.dSae(),
        cfg.info(), moments, Collections.unmodifiableMap(Json.toMap(state)));
  }

  /**
   * Checks that the state tensors are Adam's two moments of every parameter (F32, the
   * parameter's shape, finite) or nothing at all (moments of zero).
   *
   * @return whether the moments are there
   */
  private static boolean checkMoments(SafeTensorsReader r, int dIn, int dSae) {
    Set<String> names = r.header().entries().keySet();
    if (names.isEmpty()) {
      return false;
    }
    long[][] shapes = SaeParameters.shapes(dIn, dSae);
    Set<String> expected = new TreeSet<>();
    for (TrainerState.Part part : List.of(TrainerState.Part.ADAM_M, TrainerState.Part.ADAM_V)) {
      for (int i = 0; i < shapes.length; i++) {
        String name = part.tensorName(i);
        expected.add(name);
        TensorEntry e = r.header().entry(name);
        if (e == null || e.dtype() != SafeTensorsDType.F32 || !e.hasShape(shapes[i])) {
          throw Errors.invalidInput(STATE_TENSORS_FILE + ": tensor '" + name + "' is "
              + (e == null ? "missing" : e.dtype() + " " + e.shapeString()) + ", expected F32 "
              + Arrays.toString(shapes[i]) + " (d_in=" + dIn + ", d_sae=" + dSae + ")",
              r.sourceName(), FIX);
        }
        ModelDirectory.requireFinite(r, name, shapes[i]);
      }
    }
    Set<String> extra = new TreeSet<>(names);
    extra.removeAll(expected);
    if (!extra.isEmpty()) {
      throw Errors.invalidInput(STATE_TENSORS_FILE + " has unexpected tensors " + extra
          + " (it holds adam.m.<name> and adam.v.<name> of each parameter)", r.sourceName(), FIX);
    }
    return true;
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

  /**
   * Checks every file listed in {@code checksums.sha256}; a checkpoint without the file (written
   * before checksums existed) is read unverified.
   */
  private static void verifyChecksums(FileSystem fs, Path dir) {
    Path sumsPath = new Path(dir, CHECKSUM_FILE);
    if (!HadoopFiles.isFile(fs, sumsPath)) {
      LOG.info("checkpoint {} has no {} (written by an older gsae): not verified", dir,
          CHECKSUM_FILE);
      return;
    }
    String text = new String(HadoopFiles.readAll(fs, sumsPath, 1 << 16, CHECKSUM_FILE),
        StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("  ", 2);
      if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")
          || !CHECKSUMMED.contains(parts[1])) {
        throw Errors.invalidInput(CHECKSUM_FILE + " has a malformed line '" + line + "'",
            sumsPath.toString(), FIX);
      }
      Path file = ModelDirectory.requireFile(fs, dir, parts[1]);
      String actual = sha256(fs, file);
      if (!actual.equals(parts[0])) {
        throw Errors.invalidInput(parts[1] + " does not match its checksum (recorded " + parts[0]
            + ", now " + actual + "): the checkpoint was damaged after it was written",
            file.toString(), FIX);
      }
    }
  }

  /** SHA-256 of a file's bytes, as 64 hex digits. */
  private static String sha256(FileSystem fs, Path file) {
    try (InputStream in = fs.open(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw Errors.io("reading " + file.getName() + " for its checksum", file.toString(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long stepOf(FileStatus s) {
    Matcher m = STEP_DIR.matcher(s.getPath().getName());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
