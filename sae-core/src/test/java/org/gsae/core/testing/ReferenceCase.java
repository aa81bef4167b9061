package org.gsae.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.DType;
import org.gsae.core.tensor.Tensor;

/**
 * One {@code vectors_*.json} file (written by PyTorch; see {@code src/test/resources/reference/README.md}
 * in sae-core): config plus named row-major tensors.
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

  /** The folder of reference vectors committed with the tests (see its README.md). */
  public static Path builtInDir() {
    try {
      return Path.of(ReferenceCase.class.getResource("/reference/README.md").toURI()).getParent();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("the test resource folder reference/ is missing from the class path", e);
    }
  }

  /** The folder named by {@code -Dgsae.reference.dir}, when the property is set and not blank. */
  public static Optional<Path> extraDir() {
    String dir = System.getProperty("gsae.reference.dir", "");
    return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir));
  }

  /** Every {@code vectors_*.json} directly in {@code dir}, sorted by name (none if it is no folder). */
  public static List<ReferenceCase> in(Path dir) throws IOException {
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

  /** Absolute tolerance floor and relative factor of the reference README's rule for this precision. */
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
