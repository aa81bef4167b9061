package org.gsae.jobs.config;

/** Lets tests in other packages find conf/train.conf the way {@link TrainConfDocsTest} does. */
public final class TrainConfDocsTestAccess {
  private TrainConfDocsTestAccess() {}

  /** Absolute path of conf/train.conf in this checkout. */
  public static String trainConf() {
    return TrainConfDocsTest.trainConf().toString();
  }
}
