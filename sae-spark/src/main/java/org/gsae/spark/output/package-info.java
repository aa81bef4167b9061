/**
 * What the output-writing commands ({@code analyze}, {@code encode}) share: when an existing
 * output may be replaced ({@link org.gsae.spark.output.ReplaceableOutput}) and how columns
 * added to a store's metadata are named and checked for clashes
 * ({@link org.gsae.spark.output.OutputColumns}).
 */
package org.gsae.spark.output;
