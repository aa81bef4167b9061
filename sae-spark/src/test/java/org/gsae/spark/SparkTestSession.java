package org.gsae.spark;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * One {@code local[2]} Spark session shared by every test class of the module (Surefire runs
 * them in one JVM), so the few seconds of start-up are paid once. Tests must not stop it; a
 * shutdown hook does. Tests that change a SQL setting restore it.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  private static JavaDataFrameSuiteBase frames;

  /**
   * The shared session, created on first use through spark-testing-base (so its DataFrame
   * assertions, {@link #frames()}, work on the same session).
   */
  public static synchronized SparkSession get() {
    if (session == null) {
      JavaDataFrameSuiteBase base = new JavaDataFrameSuiteBase() {
        @Override
        public SparkConf conf() {
          return super.conf().setMaster("local[2]").setAppName("gsae-sae-spark-tests")
              .set("spark.ui.enabled", "false")
              .set("spark.sql.shuffle.partitions", "4")
              .set("spark.driver.host", "127.0.0.1");
        }

        @Override
        public boolean enableHiveSupport() {
          return false;
        }
      };
      base.runBefore();
      base.sqlBeforeAllTestCases();
      frames = base;
      session = base.spark();
      SparkSession s = session;
      Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop-test-spark"));
    }
    return session;
  }

  /** spark-testing-base's DataFrame assertions, bound to the shared session. */
  public static synchronized JavaDataFrameSuiteBase frames() {
    get();
    return frames;
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
