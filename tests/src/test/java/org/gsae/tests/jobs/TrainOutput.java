package org.gsae.tests.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.gsae.core.io.LoadedModel;
import org.gsae.core.io.ModelDirectory;
import org.gsae.testing.ParquetTables;

/**
 * The {@code output.path} of a {@code train} run and what the tests read from it:
 * {@code model/}, {@code checkpoints/step-NNNNNNNNNN/}, {@code metrics.parquet},
 * {@code analysis/}. Read through Hadoop's {@link FileSystem}, as gsae writes it.
 *
 * @param uri the output directory
 */
record TrainOutput(String uri) {

  /** The five files the README promises in every checkpoint directory. */
  static final List<String> CHECKPOINT_FILES = List.of("cfg.json", "sae_weights.safetensors",
      "trainer_state.safetensors", "trainer_state.json", "checksums.sha256");

  /** Metrics columns, in the order {@link #metrics()} returns them. */
  static final List<String> METRIC_COLUMNS =
      List.of("step", "loss", "mse", "l1", "aux", "l0", "lr", "lambda", "grad_norm", "rows");

  private static final Configuration CONF = new Configuration();
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{10})");

  String model() {
    return uri + "/model";
  }

  String checkpoints() {
    return uri + "/checkpoints";
  }

  String metricsTable() {
    return uri + "/metrics.parquet";
  }

  String analysis() {
    return uri + "/analysis";
  }

  /** The trained model, through sae-core's loader. */
  LoadedModel loadModel() {
    return ModelDirectory.load(new Path(model()));
  }

  /** The final weights, {@code SaeParameters.toFlat()} of {@code model/}. */
  float[] weights() {
    return loadModel().params().toFlat();
  }

  /** Names of the visible (not dot-prefixed) entries of {@code checkpoints/}, sorted. */
  List<String> visibleCheckpoints() {
    FileSystem fs = fs();
    try {
      return Arrays.stream(fs.listStatus(new Path(checkpoints())))
          .map(s -> s.getPath().getName())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    } catch (FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpoints(), e);
    }
  }

  /** The step of the newest visible {@code step-NNNNNNNNNN} checkpoint directory. */
  OptionalLong newestCheckpointStep() {
    return visibleCheckpoints().stream()
        .map(STEP_DIR::matcher)
        .filter(Matcher::matches)
        .mapToLong(m -> Long.parseLong(m.group(1)))
        .max();
  }

  /**
   * Every visible entry of {@code checkpoints/} that is not a directory holding all of
   * {@link #CHECKPOINT_FILES}, with what is missing. An entry that disappears between the
   * listing and the look inside (a pruned checkpoint) is not reported: a reader that lists
   * again never sees it.
   */
  List<String> incompleteCheckpoints() {
    FileSystem fs = fs();
    List<String> bad = new ArrayList<>();
    for (String name : visibleCheckpoints()) {
      Path dir = new Path(checkpoints(), name);
      try {
        FileStatus s = fs.getFileStatus(dir);
        if (!s.isDirectory()) {
          bad.add(name + " (a file, not a directory)");
          continue;
        }
        Set<String> present = new TreeSet<>();
        for (FileStatus f : fs.listStatus(dir)) {
          if (f.isFile() && f.getLen() > 0) {
            present.add(f.getPath().getName());
          }
        }
        List<String> missing = CHECKPOINT_FILES.stream().filter(f -> !present.contains(f)).toList();
        if (!missing.isEmpty()) {
          bad.add(name + " lacks " + missing + " (has " + present + ")");
        }
      } catch (FileNotFoundException vanished) {
        // Pruned between the listing and now.
      } catch (IOException e) {
        throw new UncheckedIOException("cannot inspect " + dir, e);
      }
    }
    return bad;
  }

  /**
   * {@code metrics.parquet} as one row per step, sorted by step, columns
   * {@link #METRIC_COLUMNS} (longs widened to double, exactly).
   */
  List<double[]> metrics() {
    List<double[]> rows = new ArrayList<>();
    for (Group g : ParquetTables.read(metricsTable())) {
      double[] r = new double[METRIC_COLUMNS.size()];
      for (int c = 0; c < r.length; c++) {
        String col = METRIC_COLUMNS.get(c);
        r[c] = col.equals("step") || col.equals("rows") ? g.getLong(col, 0) : g.getDouble(col, 0);
      }
      rows.add(r);
    }
    rows.sort(Comparator.comparingDouble(r -> r[0]));
    return rows;
  }

  private FileSystem fs() {
    try {
      return new Path(uri).getFileSystem(CONF);
    } catch (IOException e) {
      throw new UncheckedIOException("no file system for " + uri, e);
    }
  }
}
