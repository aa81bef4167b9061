package org.gsae.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * The {@code cfg.json} of a model directory, in the layout SAELens 6 writes and reads with
 * {@code SAE.load_from_disk}: the SAE fields at top level, {@code metadata} as an object, and
 * {@code sae_lens_version} set to a 6.x value so SAELens takes the file as 6.x-format instead of
 * converting it as a legacy config. SAELens drops keys it does not know, so gsae keeps its
 * provenance under {@code gsae}.
 *
 * <p>Reading accepts configs written by SAELens too: {@code gsae} may be absent, unknown keys
 * are ignored, and optional SAELens keys default as SAELens defaults them. What gsae cannot
 * honour is an error: another architecture, {@code apply_b_dec_to_input: false}, activation
 * normalisation or reshaping, a dtype other than float32.
 */
final class CfgJson {
  static final String FILE = "cfg.json";
  /** The SAELens config-format version we write (SAELens >= 6.0 reads it as-is). */
  static final String SAE_LENS_FORMAT_VERSION = "6.0.0";
  /** Version of the {@code gsae} block, bumped when its layout changes. */
  static final int GSAE_FORMAT = 1;
  private static final long MAX_BYTES = 64L * 1024 * 1024;
  private static final String FIX = "write the model with gsae, or fix cfg.json by hand "
      + "(SAELens gated SAE layout: architecture, d_in, d_sae, dtype, metadata)";

  /** What cfg.json says about the weights, plus the pass-through info. */
  record Parsed(int dIn, int dSae, ModelInfo info) {}

  private CfgJson() {}

  static byte[] encode(int dIn, int dSae, ModelInfo info) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("architecture", "gated");
    root.put("d_in", dIn);
    root.put("d_sae", dSae);
    root.put("dtype", "float32");
    root.put("device", "cpu");
    root.put("apply_b_dec_to_input", true);
    root.put("normalize_activations", "none");
    root.put("reshape_activations", "none");
    root.put("sae_lens_version", SAE_LENS_FORMAT_VERSION);
    root.set("metadata", Json.MAPPER.valueToTree(info.metadata()));
    Provenance p = info.provenance();
    if (p != null) {
      ObjectNode g = root.putObject("gsae");
      g.put("format", GSAE_FORMAT);
      g.put("gsae_version", p.gsaeVersion());
      g.put("java_version", p.javaVersion());
      g.put("created_at", p.createdAt().toString());
      g.put("seed", p.seed());
      g.put("steps_trained", p.stepsTrained());
      ObjectNode input = g.putObject("input");
      input.put("path", p.inputPath());
      input.put("fingerprint", p.inputFingerprint());
      g.set("train_config", Json.MAPPER.valueToTree(p.trainConfig()));
    }
    return Json.write(root);
  }

  static Parsed decode(byte[] bytes, String source) {
    JsonNode root = Json.parse(bytes, source, FILE, FIX);
    if (!root.isObject()) {
      throw bad("cfg.json must be a JSON object, found " + root.getNodeType(), source);
    }
    String arch = text(root, "architecture", null, source);
    if (!"gated".equals(arch)) {
      throw bad("cfg.json key 'architecture' is " + (arch == null ? "missing" : "'" + arch + "'")
          + ", gsae reads only 'gated' SAEs", source);
    }
    int dIn = positiveInt(root, "d_in", source);
    int dSae = positiveInt(root, "d_sae", source);
    String dtype = text(root, "dtype", "float32", source);
    if (!dtype.equals("float32") && !dtype.equals("torch.float32")) {
      throw bad("cfg.json key 'dtype' is '" + dtype + "', gsae models are float32", source);
    }
    JsonNode applyBDec = root.get("apply_b_dec_to_input");
    if (applyBDec != null && !applyBDec.isNull() && !(applyBDec.isBoolean() && applyBDec.booleanValue())) {
      throw bad("cfg.json key 'apply_b_dec_to_input' is " + applyBDec
          + ", gsae's encoder always subtracts b_dec (true)", source);
    }
    String norm = text(root, "normalize_activations", "none", source);
    if (!norm.equals("none")) {
      throw bad("cfg.json key 'normalize_activations' is '" + norm
          + "', gsae supports only 'none' (fold the normalisation into the weights first)", source);
    }
    String reshape = text(root, "reshape_activations", "none", source);
    if (!reshape.equals("none")) {
      throw bad("cfg.json key 'reshape_activations' is '" + reshape + "', gsae supports only 'none'",
          source);
    }
    Map<String, Object> metadata = Map.of();
    JsonNode meta = root.get("metadata");
    if (meta != null && !meta.isNull()) {
      if (!meta.isObject()) {
        throw bad("cfg.json key 'metadata' must be an object, found " + meta.getNodeType(), source);
      }
      metadata = Json.toMap(meta);
    }
    JsonNode g = root.get("gsae");
    Provenance provenance = g == null || g.isNull() ? null : provenance(g, source);
    return new Parsed(dIn, dSae, new ModelInfo(metadata, provenance));
  }

  private static Provenance provenance(JsonNode g, String source) {
    if (!g.isObject()) {
      throw bad("cfg.json key 'gsae' must be an object, found " + g.getNodeType(), source);
    }
    JsonNode format = g.get("format");
    if (format == null || !format.isIntegralNumber() || format.intValue() != GSAE_FORMAT) {
      throw bad("cfg.json key 'gsae.format' is " + format + ", this gsae reads format "
          + GSAE_FORMAT, source);
    }
    JsonNode input = g.get("input");
    if (input != null && !input.isNull() && !input.isObject()) {
      throw bad("cfg.json key 'gsae.input' must be an object, found " + input.getNodeType(), source);
    }
    String created = text(g, "created_at", null, source, "gsae.");
    Instant createdAt;
    try {
      createdAt = Instant.parse(String.valueOf(created));
    } catch (DateTimeParseException e) {
      throw bad("cfg.json key 'gsae.created_at' is " + created
          + ", expected an ISO-8601 instant such as 2025-01-31T12:00:00Z", source);
    }
    JsonNode tc = g.get("train_config");
    if (tc != null && !tc.isNull() && !tc.isObject()) {
      throw bad("cfg.json key 'gsae.train_config' must be an object, found " + tc.getNodeType(),
          source);
    }
    return new Provenance(
        tc == null || tc.isNull() ? Map.of() : Json.toMap(tc),
        integer(g, "seed", source),
        input == null || input.isNull() ? null : text(input, "path", null, source, "gsae.input."),
        input == null || input.isNull() ? null : text(input, "fingerprint", null, source, "gsae.input."),
        require(text(g, "gsae_version", null, source, "gsae."), "gsae.gsae_version", source),
        require(text(g, "java_version", null, source, "gsae."), "gsae.java_version", source),
        nonNegative(integer(g, "steps_trained", source), "gsae.steps_trained", source),
        createdAt);
  }

  private static String text(JsonNode obj, String key, String dflt, String source) {
    return text(obj, key, dflt, source, "");
  }

  /** A string value; {@code dflt} when absent or null. */
  private static String text(JsonNode obj, String key, String dflt, String source, String prefix) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isTextual()) {
      throw bad("cfg.json key '" + prefix + key + "' must be a string, found " + v, source);
    }
    return v.textValue();
  }

  private static String require(String v, String key, String source) {
    if (v == null) {
      throw bad("cfg.json key '" + key + "' is missing", source);
    }
    return v;
  }

  private static long integer(JsonNode obj, String key, String source) {
    JsonNode v = obj.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw bad("cfg.json key 'gsae." + key + "' must be a 64-bit integer, found "
          + (v == null ? "nothing" : v), source);
    }
    return v.longValue();
  }

  private static long nonNegative(long v, String key, String source) {
    if (v < 0) {
      throw bad("cfg.json key '" + key + "' must be >= 0, found " + v, source);
    }
    return v;
  }

  private static int positiveInt(JsonNode obj, String key, String source) {
    JsonNode v = obj.get(key);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
      throw bad("cfg.json key '" + key + "' must be a positive integer, found "
          + (v == null ? "nothing" : v), source);
    }
    return v.intValue();
  }

  static long maxBytes() {
    return MAX_BYTES;
  }

  private static GsaeException bad(String problem, String source) {
    return Errors.invalidInput(problem, source, FIX);
  }
}
