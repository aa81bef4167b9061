package org.gsae.spark.harvest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.hadoop.conf.Configuration;
import org.gsae.onnx.ModelFiles;
import org.gsae.onnx.OnnxActivationModel;
import org.gsae.onnx.Site;

/**
 * The models of this JVM (an executor, or the driver, which opens the model first to check it
 * and, in local mode, runs the tasks too), loaded once and shared by its concurrent tasks
 * ({@link OnnxActivationModel} is thread-safe), each with one ONNX Runtime thread because Spark
 * runs one task per core. Never closed: they live as long as the JVM.
 */
final class HarvestModels {
  private static final ConcurrentMap<String, OnnxActivationModel> MODELS = new ConcurrentHashMap<>();

  private HarvestModels() {}

  static OnnxActivationModel get(String model, Site site, Configuration conf) {
    return MODELS.computeIfAbsent(model + "\u0000" + site,
        k -> OnnxActivationModel.open(ModelFiles.resolve(model, conf), site, 1));
  }
}
