package org.gsae.spark.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.gsae.core.error.Errors;
import org.gsae.spark.store.ActivationStore;

/**
 * Names of the columns gsae adds next to a store's metadata columns in its outputs
 * ({@code top_examples.parquet}, the encode output), and the check that no metadata column
 * already uses one. Spark and Parquet readers resolve names case-insensitively by default, so
 * the check is case-insensitive.
 */
public final class OutputColumns {
  private OutputColumns() {}

  /**
   * Throws INVALID_INPUT when a metadata column of {@code store} has the name of a column the
   * output adds.
   *
   * @param added  the columns the output adds (for example {@code feature_id}, {@code rank})
   * @param output what is being written, for the message ("top_examples.parquet")
   */
  public static void requireNoClash(ActivationStore store, List<String> added, String output) {
    List<String> clashes = new ArrayList<>();
    for (String meta : store.metadataColumns()) {
      for (String a : added) {
        if (meta.toLowerCase(Locale.ROOT).equals(a.toLowerCase(Locale.ROOT))) {
          clashes.add("'" + meta + "'");
        }
      }
    }
    if (!clashes.isEmpty()) {
      throw Errors.invalidInput("the store has metadata column(s) " + String.join(", ", clashes)
          + " with the name of a column that " + output + " adds (" + String.join(", ", added)
          + "; names compare case-insensitively)", store.config().path(),
          "rename or drop those columns in the store");
    }
  }

  /** {@code name} quoted for Spark's column parser (dots, spaces and backticks taken literally). */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** A column reference that takes {@code name} literally. */
  public static Column literal(String name) {
    return functions.col(quote(name));
  }
}
