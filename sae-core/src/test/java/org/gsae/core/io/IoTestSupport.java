package org.gsae.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.SaeParameters;

/** Shared helpers for the io tests: Hadoop paths under a JUnit temp dir, random models, file edits. */
final class IoTestSupport {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private IoTestSupport() {}

  /** A Hadoop path for a JUnit {@code @TempDir}. */
  static Path hadoopPath(java.nio.file.Path dir) {
    return new Path(dir.toUri().toString());
  }

  static FileSystem fs(Path p) {
    return HadoopFiles.fileSystem(p, null);
  }

  /** Random float32 parameters, with a few special values mixed in to catch lossy paths. */
  static SaeParameters randomParams(int dIn, int dSae, long seed) {
    Random r = new Random(seed);
    float[] flat = new float[(int) SaeParameters.parameterCount(dIn, dSae)];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) r.nextGaussian();
    }
    flat[0] = -0f;
    flat[1] = Float.MIN_VALUE;
    flat[flat.length - 1] = 1e-42f;
    return SaeParameters.fromFlat(flat, dIn, dSae);
  }

  static ModelInfo sampleInfo() {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model_name", "gpt2-small");
    meta.put("hook_name", "blocks.8.hook_resid_pre");
    meta.put("hook_head_index", null);
    meta.put("prepend_bos", true);
    meta.put("dataset_path", "hdfs://nn/acts/gpt2");
    meta.put("context_size", 128);
    Map<String, Object> train = new LinkedHashMap<>();
    train.put("steps", 5_000_000_000L);
    train.put("lr", 4e-4);
    train.put("variant", "paper");
    train.put("shuffle", true);
    train.put("nested", Map.of("a", java.util.List.of(1, 2.5, "x")));
    Provenance p = new Provenance(train, -7L, "hdfs://nn/acts/gpt2", "sha256:abc", "0.1.0",
        "17.0.15", 1234L, Instant.parse("2025-10-22T12:34:56.123456789Z"));
    return new ModelInfo(meta, p);
  }

  static void rewrite(Path file, byte[] bytes) {
    FileSystem fs = fs(file);
    try {
      fs.delete(file, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HadoopFiles.writeBytes(fs, file, bytes);
  }

  static byte[] read(Path file) {
    return HadoopFiles.readAll(fs(file), file, Long.MAX_VALUE, "test file");
  }

  /** Applies {@code edit} to the JSON object in {@code file}. */
  static void editJson(Path file, java.util.function.Consumer<ObjectNode> edit) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(read(file));
      edit.accept(root);
      rewrite(file, MAPPER.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names in {@code dir}, sorted. */
  static String[] list(Path dir) {
    try {
      return Arrays.stream(fs(dir).listStatus(dir)).map(FileStatus::getPath).map(Path::getName)
          .sorted().toArray(String[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertError(GsaeException e, ErrorCode code, String... parts) {
    assertEquals(code, e.code(), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
    }
  }

  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }
}
