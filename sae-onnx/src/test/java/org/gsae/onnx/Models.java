package org.gsae.onnx;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** The built-in models' files, read once per test JVM. */
final class Models {
  private static final Map<String, ModelFiles> FILES = new HashMap<>();

  private Models() {}

  static synchronized ModelFiles files(String name) {
    return FILES.computeIfAbsent(name, n -> ModelFiles.resolve(n, new Configuration()));
  }

  static OnnxActivationModel open(String name, Site site) {
    return OnnxActivationModel.open(files(name), site, 2);
  }
}
