package org.gsae.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;

/**
 * A transformer's files: the ONNX model and its HuggingFace {@code tokenizer.json}, either
 * built in ({@link #BUILT_IN}, read from the jars of the classpath, no network) or from a
 * directory on any Hadoop file system holding exactly one {@code .onnx} file and a
 * {@code tokenizer.json}.
 *
 * @param name      the built-in name or the directory, as given
 * @param onnx      the serialized ONNX model
 * @param tokenizer the tokenizer.json bytes
 */
public record ModelFiles(String name, byte[] onnx, byte[] tokenizer) {
  /** The built-in models, by name; the first is the default. */
  public static final List<String> BUILT_IN = List.of("minilm-l6", "minilm-l6-fp32");
  /** The default model of {@code harvest} and {@code demo --real}. */
  public static final String DEFAULT = "minilm-l6";
  /** Upper bound on a model file read into memory (ONNX's protobuf limit is 2 GiB). */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The built-in model {@code name}, or the model directory {@code name}.
   *
   * @param conf Hadoop configuration for directories
   */
  public static ModelFiles resolve(String name, Configuration conf) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      // all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), 6 layers, 384 wide: Xenova's
      // ONNX exports, dynamically quantized to int8 and fp32, as langchain4j packages them.
      case "minilm-l6" -> builtIn(name, "all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json");
      case "minilm-l6-fp32" -> builtIn(name, "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json");
      default -> directory(name, conf);
    };
  }

  private static ModelFiles builtIn(String name, String onnx, String tokenizer) {
    return new ModelFiles(name, resource(onnx), resource(tokenizer));
  }

  private static byte[] resource(String path) {
    try (InputStream in = ModelFiles.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the built-in model file " + path
            + " is not on the classpath (its langchain4j-embeddings jar is missing from the build)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in model file " + path, e);
    }
  }

  private static ModelFiles directory(String dir, Configuration conf) {
    Path root = new Path(dir);
    FileSystem fs = HadoopFiles.fileSystem(root, conf);
    List<Path> onnx = new ArrayList<>();
    boolean tokenizer = false;
    try {
      if (!HadoopFiles.exists(fs, root) || HadoopFiles.isFile(fs, root)) {
        throw Errors.usage("no model directory or built-in model named " + dir, "--model",
            "pass one of " + BUILT_IN + " or a directory with a .onnx file and tokenizer.json");
      }
      for (FileStatus s : fs.listStatus(root)) {
        String n = s.getPath().getName();
        if (s.isFile() && n.endsWith(".onnx")) {
          onnx.add(s.getPath());
        }
        tokenizer |= s.isFile() && n.equals("tokenizer.json");
      }
    } catch (IOException e) {
      throw Errors.io("listing the model directory", dir, e);
    }
    if (onnx.size() != 1 || !tokenizer) {
      throw Errors.invalidInput("the model directory holds " + onnx.size() + " .onnx files"
          + (tokenizer ? "" : " and no tokenizer.json"), dir,
          "put exactly one .onnx model and its HuggingFace tokenizer.json in the directory");
    }
    return new ModelFiles(dir, HadoopFiles.readAll(fs, onnx.get(0), MAX_BYTES, "ONNX model"),
        HadoopFiles.readAll(fs, new Path(root, "tokenizer.json"), MAX_BYTES, "tokenizer.json"));
  }
}
