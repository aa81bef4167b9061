package org.gsae.core.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything in a model directory's cfg.json besides what the weights determine ({@code d_in},
 * {@code d_sae}) and the fixed architecture keys. Passed through unchanged by a save and load.
 *
 * @param metadata   SAELens's {@code metadata} object: how the SAE is meant to be used, for
 *                   example {@code model_name}, {@code hook_name}, {@code hook_head_index},
 *                   {@code prepend_bos}, {@code dataset_path}, {@code context_size}. Values
 *                   must be JSON-able; made canonical on construction (see {@link Json#canonical})
 * @param provenance gsae's own record of how the model was made, or null for a model that gsae
 *                   did not train (for example one written by SAELens)
 */
public record ModelInfo(Map<String, Object> metadata, Provenance provenance) {

  public ModelInfo {
    metadata = Json.canonical(metadata == null ? Map.of() : metadata);
  }

  /** No metadata, no provenance. */
  public static ModelInfo empty() {
    return new ModelInfo(Map.of(), null);
  }

  /** The same info with {@code metadata[key] = value} (value may be null). */
  public ModelInfo withMetadata(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(metadata);
    m.put(key, value);
    return new ModelInfo(m, provenance);
  }

  /** The same info with another provenance. */
  public ModelInfo withProvenance(Provenance p) {
    return new ModelInfo(metadata, p);
  }
}
