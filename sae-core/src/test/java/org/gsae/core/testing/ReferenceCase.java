package org.gsae.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * One {@code vectors_*.json} file of {@code shared/reference} (written by PyTorch, see that
 * folder's README): config plus named row-major tensors.
 */
public final class ReferenceCase {
  private final Path file;
  private final JsonNode root;
  private final DType dtype;

  private ReferenceCase(Path file) throws IOException {
    this.file = file;
    this.root = new ObjectMapper().readTree(Files.readAllBytes(file));
    String name = file.getFileName().toString();
    this.dtype = name.contains("f64") ? DType.FLOAT64 : DType.FLOAT32;
  }

  /** Directory named by {@code -Dgsae.reference.dir} (default {@code ../shared/reference}). */
  public static Path referenceDir() {
    return Path.of(System.getProperty("gsae.reference.dir", "../shared/reference"));
  }

  /** Every {@code vectors_*.json} in the reference directory, sorted by name. */
  public static List<ReferenceCase> all() throws IOException {
    Path dir = referenceDir();
    List<ReferenceCase> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().matches("vectors_.*\\.json")).sorted().toList()) {
        out.add(new ReferenceCase(p));
      }
    }
    return out;
  }

  public String name() {
    return file.getFileName().toString();
  }

  public DType dtype() {
    return dtype;
  }

  public JsonNode config() {
    return root.get("config");
  }

  public boolean has(String tensor) {
    return root.get("tensors").has(tensor);
  }

  /** Absolute tolerance floor and relative factor of shared/reference/README.md for this precision. */
  public double tolerance() {
    return dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
  }

  public long[] shape(String name) {
    JsonNode s = node(name).get("shape");
    long[] out = new long[s.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.get(i).asLong();
    }
    return out;
  }

  public double[] data(String name) {
    JsonNode d = node(name).get("data");
    double[] out = new double[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.get(i).asDouble();
    }
    return out;
  }

  /** The tensor in this case's precision (a scalar becomes shape [1]). */
  public Tensor tensor(String name) {
    long[] shape = shape(name);
    if (shape.length == 0) {
      shape = new long[] {1};
    }
    return Tensor.of(data(name), dtype, shape);
  }

  public SaeParameters parameters(String prefix) {
    List<Tensor> t = new ArrayList<>();
    for (String n : SaeParameters.NAMES) {
      t.add(tensor(prefix + n));
    }
    return SaeParameters.fromList(t);
  }

  private JsonNode node(String name) {
    JsonNode n = root.get("tensors").get(name);
    if (n == null) {
      throw new IllegalArgumentException(name() + " has no tensor '" + name + "'");
    }
    return n;
  }

  @Override
  public String toString() {
    return name();
  }
}
