package org.gsae.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} Spark session shared by every test class of the module (Surefire runs
 * them in one JVM), so the few seconds of start-up are paid once. Tests must not stop it; a
 * shutdown hook does. Tests that change a SQL setting restore it.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  /** The shared session, created on first use. */
  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("gsae-sae-spark-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
      SparkSession s = session;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-test-spark"));
    }
    return session;
  }

  /** Runs {@code body} with SQL setting {@code key} set to {@code value}, then restores it. */
  public static void withSqlConf(String key, String value, Runnable body) {
    SparkSession s = get();
    String before = s.conf().contains(key) ? s.conf().get(key) : null;
    s.conf().set(key, value);
    try {
      body.run();
    } finally {
      if (before == null) {
        s.conf().unset(key);
      } else {
        s.conf().set(key, before);
      }
    }
  }
}
