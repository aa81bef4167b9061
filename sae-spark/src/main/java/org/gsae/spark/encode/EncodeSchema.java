package org.gsae.spark.encode;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gsae.spark.store.ActivationStore;

/**
 * The columns of an encode output: the store's metadata columns (every column but the
 * activation column, in store order, types unchanged), then {@code row_id long}, then the
 * codes: {@value #FEATURE_INDICES} {@code array<int>} and {@value #FEATURE_VALUES}
 * {@code array<float>} (sparse), or {@value #FEATURE_ACTS} {@code array<float>} of length
 * {@code d_sae} (dense); then {@value #RECONSTRUCTION} {@code array<float>} of length
 * {@code d_in} when asked for.
 */
public final class EncodeSchema {
  /** Sparse codes: indices of the active features, ascending. */
  public static final String FEATURE_INDICES = "feature_indices";
  /** Sparse codes: their activations, in the same order. */
  public static final String FEATURE_VALUES = "feature_values";
  /** Dense codes [d_sae]. */
  public static final String FEATURE_ACTS = "feature_acts";
  /** {@code x_hat = f W_dec + b_dec} [d_in]. */
  public static final String RECONSTRUCTION = "reconstruction";

  private EncodeSchema() {}

  /** The column names an output adds after the metadata columns, in order. */
  public static List<String> addedColumns(boolean dense, boolean reconstruct) {
    List<String> names = new ArrayList<>();
    names.add(ActivationStore.ROW_ID);
    if (dense) {
      names.add(FEATURE_ACTS);
    } else {
      names.add(FEATURE_INDICES);
      names.add(FEATURE_VALUES);
    }
    if (reconstruct) {
      names.add(RECONSTRUCTION);
    }
    return names;
  }

  /** The metadata columns of {@code store} as a schema (store order, types as in the store). */
  static StructType metadata(ActivationStore store) {
    StructType meta = new StructType();
    for (StructField f : store.schema().fields()) {
      if (!f.name().equals(store.config().column())) {
        meta = meta.add(f);
      }
    }
    return meta;
  }

  /** The whole output schema. */
  public static StructType of(ActivationStore store, boolean dense, boolean reconstruct) {
    StructType s = metadata(store).add(ActivationStore.ROW_ID, DataTypes.LongType, false);
    if (dense) {
      s = s.add(FEATURE_ACTS, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    } else {
      s = s.add(FEATURE_INDICES, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
          .add(FEATURE_VALUES, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }
    if (reconstruct) {
      s = s.add(RECONSTRUCTION, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }
    return s;
  }
}
