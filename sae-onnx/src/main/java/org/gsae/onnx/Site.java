package org.gsae.onnx;

import java.util.Locale;
import org.gsae.core.error.Errors;

/**
 * Where in a transformer activations are read: the residual stream after layer {@code layer}
 * ({@code resid}: the output LayerNorm of a BERT-style block) or the MLP's hidden activation
 * ({@code mlp}: after its GELU), found by the node names Hugging Face Optimum's ONNX export
 * gives them, or any tensor of the graph by name.
 *
 * @param layer the layer, from 0 (-1 when a tensor was given by name)
 * @param kind  {@code resid}, {@code mlp} or {@code tensor}
 * @param name  the node whose first output is read, or the tensor's name for {@code tensor}
 */
public record Site(int layer, String kind, String name) implements java.io.Serializable {
  /** The default harvest site: the residual stream after layer 3 of MiniLM-L6's 6. */
  public static final int DEFAULT_LAYER = 3;

  /** The named site of {@code layer}: {@code kind} is {@code resid} or {@code mlp}. */
  public static Site of(int layer, String kind) {
    Errors.check(layer >= 0, "layer must be >= 0, got %d", layer);
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "resid" -> new Site(layer, "resid", "/encoder/layer." + layer + "/output/LayerNorm/Add_1");
      case "mlp" -> new Site(layer, "mlp",
          "/encoder/layer." + layer + "/intermediate/intermediate_act_fn/Mul_1");
      default -> throw Errors.usage("unknown site '" + kind + "'", "--site",
          "pass resid (the residual stream after the layer) or mlp (the MLP's hidden activation)");
    };
  }

  /** Any tensor of the graph, by its name. */
  public static Site tensor(String name) {
    return new Site(-1, "tensor", name);
  }

  /**
   * The tensor of {@code graph} this site reads (the last layer's residual is usually the
   * graph's output, {@code last_hidden_state}, so sites are found by node name).
   */
  public String tensorIn(OnnxGraph graph) {
    if (layer < 0) {
      return name;
    }
    return graph.firstOutputOf(name).orElseThrow(() -> Errors.invalidInput("the graph has no node "
        + name + " for " + describe() + " (it has " + graph.layers() + ")", graph.label(),
        "pass a --layer the model has, or --tensor NAME for a model not exported by Optimum"));
  }

  /** For messages and provenance: {@code layer 3 resid} or {@code tensor NAME}. */
  public String describe() {
    return layer < 0 ? "tensor " + name : "layer " + layer + " " + kind;
  }
}
