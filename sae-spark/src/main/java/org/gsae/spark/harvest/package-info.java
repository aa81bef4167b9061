/**
 * {@code harvest}: a transformer (ONNX Runtime, {@link org.gsae.onnx}) over text on Spark,
 * writing a per-token activation store with token and context metadata.
 */
package org.gsae.spark.harvest;
