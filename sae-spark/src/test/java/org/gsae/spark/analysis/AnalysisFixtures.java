package org.gsae.spark.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.data.SyntheticActivations;
import org.gsae.core.io.ModelDirectory;
import org.gsae.core.io.ModelInfo;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.tensor.Tensor;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.demo.SyntheticStore;

/**
 * Stores and models for the analysis and encode tests.
 *
 * <p>The hand-worked model ({@link #reluModel()}): {@code d_in = 2}, {@code d_sae = 3},
 * {@code W_enc = [[1,0,0],[0,1,0]]}, {@code b_gate = (0, 0, -1)}, {@code r_mag = b_mag = 0},
 * {@code W_dec = [[1,0],[0,1],[0.6,0.8]]}, {@code b_dec = 0}. So for a row {@code (a, b)}:
 * {@code f = (relu(a), relu(b), 0)} (feature 2 never fires: its gate is -1) and
 * {@code x_hat = (relu(a), relu(b))}.
 */
public final class AnalysisFixtures {
  /** The hand-worked rows: feature 0 fires on rows 0, 1, 3 with a tie (4) on rows 0 and 3. */
  public static final float[][] HAND_ROWS = {{4, -1}, {3, 1}, {-2, 5}, {4, -3}};

  private AnalysisFixtures() {}

  public static final StructType SCHEMA = new StructType()
      .add("example_id", DataTypes.LongType, false)
      .add("token", DataTypes.StringType, true)
      .add("activation", DataTypes.createArrayType(DataTypes.FloatType, true), true);

  /** The model described in the class comment. */
  public static SaeParameters reluModel() {
    return new SaeParameters(
        Tensor.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3),
        Tensor.of(new float[] {0, 0, -1}, 3),
        Tensor.of(new float[] {0, 0, 0}, 3),
        Tensor.of(new float[] {0, 0, 0}, 3),
        Tensor.of(new float[] {1, 0, 0, 1, 0.6f, 0.8f}, 3, 2),
        Tensor.of(new float[] {0, 0}, 2));
  }

  /**
   * A random model for synthetic data of width {@code dIn} with features {@code deadFeatures}
   * switched off (gate bias -1e6), so the analysis must report them dead.
   */
  public static SaeParameters randomModel(SyntheticActivations data, int dSae, int... deadFeatures) {
    SaeParameters p = SaeInit.initialize(data.data().dIn(), dSae, 7, data.data().mean());
    float[] bGate = p.bGate().toFloatArray();
    for (int j : deadFeatures) {
      bGate[j] = -1e6f;
    }
    return new SaeParameters(p.wEnc(), Tensor.of(bGate, dSae), p.rMag(), p.bMag(), p.wDec(),
        p.bDec());
  }

  /** Saves {@code p} as a model directory {@code dir/name}; returns its URI string. */
  public static String saveModel(Path dir, String name, SaeParameters p) {
    String path = dir.resolve(name).toUri().toString();
    ModelDirectory.save(new org.apache.hadoop.fs.Path(path), p, ModelInfo.empty());
    return path;
  }

  /**
   * Writes {@code rows} as a store of {@code files} Parquet files in row order:
   * {@code example_id} = row index, {@code token = "t<index>"} ({@code null} for odd rows when
   * {@code nullTokens}), {@code activation array<float>}. Returns its URI string.
   */
  public static String writeStore(Path dir, String name, float[][] rows, int files,
      boolean nullTokens) {
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows.length; r++) {
      List<Float> v = new ArrayList<>();
      for (float f : rows[r]) {
        v.add(f);
      }
      out.add(RowFactory.create((long) r, nullTokens && r % 2 == 1 ? null : "t" + r, v));
    }
    String path = dir.resolve(name).toUri().toString();
    SparkTestSession.get().createDataFrame(out, SCHEMA)
        .repartitionByRange(files, functions.col("example_id"))
        .sortWithinPartitions("example_id")
        .write().mode(SaveMode.Overwrite).parquet(path);
    return path;
  }

  /** {@link SyntheticStore} of {@code data} in {@code files} files; returns its URI string. */
  public static String writeSynthetic(Path dir, String name, SyntheticActivations data, int files) {
    String path = dir.resolve(name).toUri().toString();
    SyntheticStore.write(SparkTestSession.get(), path, data, files);
    return path;
  }

  /** Rows of {@code data} as {@code float[rows][d_in]}. */
  public static float[][] rows(SyntheticActivations data) {
    float[][] out = new float[data.data().rows()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = data.data().row(r);
    }
    return out;
  }
}
