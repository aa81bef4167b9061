package org.gsae.spark.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.gsae.core.error.Errors;
import org.gsae.core.io.ModelDirectory;
import org.gsae.spark.analysis.AnalysisRun;
import org.gsae.spark.store.ActivationStore;
import org.gsae.spark.store.ActivationType;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The galleries of image data ({@code data/gallery.js}): the first {@value #DECODER_GALLERY}
 * decoder rows as images, and the {@value #FEATURE_GALLERY} most frequent alive features, each
 * as its decoder image beside its top {@value #GALLERY_INPUTS} inputs (read back from the
 * analysed store by {@code row_id}), tagged MONO/POLY by {@link GalleryChoice} when a label
 * column is given.
 */
final class Gallery {
  private static final Logger LOG = LoggerFactory.getLogger(Gallery.class);

  /** Decoder rows drawn in the decoder gallery (the first features by id). */
  static final int DECODER_GALLERY = 256;
  /** Features in the feature gallery (the most frequent alive ones). */
  static final int FEATURE_GALLERY = 32;
  /** Top inputs shown per feature in the feature gallery. */
  static final int GALLERY_INPUTS = 8;

  private Gallery() {}

  /**
   * The image shape to draw, or null for no galleries; checks the options against the analysis
   * before any work.
   *
   * @param asked       {@code --image-shape}, or null to recognise a known width
   * @param labelColumn {@code --label-column}, or null
   * @param meta        the metadata columns of the analysed store
   */
  static ImageTiles.Shape shape(ImageTiles.Shape asked, int dIn, String labelColumn,
      List<String> meta) {
    ImageTiles.Shape shape = asked != null ? asked : ImageTiles.Shape.known(dIn);
    if (shape != null && shape.pixels() != dIn) {
      throw Errors.usage("--image-shape " + shape + " has " + shape.pixels()
          + " pixels but the model's d_in is " + dIn, "--image-shape",
          "give a shape whose height x width is " + dIn);
    }
    if (labelColumn != null && !meta.contains(labelColumn)) {
      throw Errors.usage("--label-column '" + labelColumn + "' is not a metadata column "
          + "of the analysed store (it has: " + String.join(", ", meta) + ")",
          "--label-column", "name one of the store's metadata columns");
    }
    return shape;
  }

  /**
   * The gallery data.
   *
   * @param summary  the analysis' summary.json (its {@code input} names the store)
   * @param modelDir the analysed model
   */
  static Map<String, Object> build(SparkSession spark, Configuration conf, Path analysis,
      FeatureColumns f, Map<String, Object> summary, Path modelDir, ImageTiles.Shape shape,
      String labelColumn, List<String> meta) {
    int dIn = shape.pixels();
    float[] wDec = ModelDirectory.load(modelDir, conf).params().wDec().toFloatArray();
    List<Map<String, Object>> decoder = new ArrayList<>();
    for (int j = 0; j < Math.min(DECODER_GALLERY, f.dSae()); j++) {
      Map<String, Object> tile = new LinkedHashMap<>();
      tile.put("id", j);
      tile.put("dead", f.fireCount[j] == 0);
      tile.put("image", ImageTiles.decoderTile(wDec, j * dIn, shape));
      decoder.add(tile);
    }
    List<Integer> chosen = GalleryChoice.mostFrequentAlive(f.fireCount, FEATURE_GALLERY);
    Map<Integer, List<Map<String, Object>>> tops = topExamples(spark, analysis, chosen, meta);
    Map<Long, float[]> inputs = inputRows(spark, summary, dIn, tops);
    List<Map<String, Object>> featureTiles = new ArrayList<>();
    for (int j : chosen) {
      Map<String, Object> tile = new LinkedHashMap<>();
      tile.put("id", j);
      tile.put("frequency", f.frequency[j]);
      tile.put("image", ImageTiles.decoderTile(wDec, j * dIn, shape));
      List<Object> labels = new ArrayList<>();
      List<Map<String, Object>> shown = new ArrayList<>();
      for (Map<String, Object> e : tops.getOrDefault(j, List.of())) {
        float[] x = inputs.get((Long) e.get("row_id"));
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("activation", e.get("activation"));
        in.put("image", x == null ? null : ImageTiles.inputTile(x, shape));
        if (labelColumn != null) {
          Object label = ((Map<?, ?>) e.get("meta")).get(labelColumn);
          in.put("label", label);
          labels.add(label);
        }
        shown.add(in);
      }
      tile.put("inputs", shown);
      if (labelColumn != null) {
        GalleryChoice.Purity p = GalleryChoice.purity(labels);
        tile.put("label", p.label());
        tile.put("purity", p.purity());
        tile.put("tag", p.tag());
      }
      featureTiles.add(tile);
    }
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("shape", List.of(shape.height(), shape.width()));
    g.put("labelColumn", labelColumn);
    g.put("monoPurity", GalleryChoice.MONO_PURITY);
    g.put("decoder", decoder);
    g.put("features", featureTiles);
    g.put("inputsFound", !inputs.isEmpty());
    return g;
  }

  private static Map<Integer, List<Map<String, Object>>> topExamples(SparkSession spark,
      Path analysis, List<Integer> chosen, List<String> meta) {
    Map<Integer, List<Map<String, Object>>> tops = new HashMap<>();
    if (chosen.isEmpty()) {
      return tops;
    }
    List<Row> rows = ActivationStore.readTable(spark,
        new Path(analysis, AnalysisRun.TOP_EXAMPLES).toString())
        .where(functions.col("feature_id").isin(chosen.toArray())
            .and(functions.col("rank").leq(GALLERY_INPUTS)))
        .orderBy("feature_id", "rank").collectAsList();
    for (Row r : rows) {
      tops.computeIfAbsent(r.getInt(r.fieldIndex("feature_id")), k -> new ArrayList<>())
          .add(ExampleReader.example(r, meta));
    }
    return tops;
  }

  /** The activation rows of the gallery's examples, read back from the analysed store. */
  private static Map<Long, float[]> inputRows(SparkSession spark, Map<String, Object> summary,
      int dIn, Map<Integer, List<Map<String, Object>>> tops) {
    List<Long> ids = new ArrayList<>();
    tops.values().forEach(l -> l.forEach(e -> ids.add((Long) e.get("row_id"))));
    Map<Long, float[]> rows = new HashMap<>();
    if (ids.isEmpty() || !(summary.get("input") instanceof Map<?, ?> input)) {
      return rows;
    }
    String path = String.valueOf(input.get("path"));
    String column = String.valueOf(input.get("column"));
    try (ActivationStore store = ActivationStore.open(spark, new InputConfig(path, column,
        OnInvalid.SKIP, InputConfig.DEFAULT_STORAGE_LEVEL), OptionalInt.of(dIn))) {
      Column x = store.activationType() == ActivationType.ML_VECTOR
          ? org.apache.spark.ml.functions.vector_to_array(functions.col(column), "float32")
          : functions.col(column).cast(DataTypes.createArrayType(DataTypes.FloatType));
      for (Row r : store.withRowIds().where(functions.col(ActivationStore.ROW_ID)
          .isin(ids.toArray())).select(functions.col(ActivationStore.ROW_ID), x).collectAsList()) {
        List<Float> v = r.getList(1);
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = v.get(i);
        }
        rows.put(r.getLong(0), a);
      }
    } catch (RuntimeException e) {
      LOG.warn("the feature gallery shows no inputs: the analysed store {} could not be read "
          + "back ({})", path, e.getMessage());
    }
    return rows;
  }
}
