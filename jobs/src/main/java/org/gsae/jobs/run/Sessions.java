package org.gsae.jobs.run;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession of a job. Whatever spark-submit (or {@code -Dspark.*} system
 * properties) set wins; the job config only fills gaps: its {@code spark.master} is used
 * when no master was given, else {@code local[*]}; the web UI stays off unless asked for
 * ({@code spark.ui.enabled=true}), since local runs and tests do not need its port.
 */
public final class Sessions {
  private Sessions() {}

  /** Default master when neither spark-submit nor the config names one. */
  public static final String LOCAL_MASTER = "local[*]";

  /**
   * A session for {@code appName} (kept if spark-submit's {@code --name} set one).
   *
   * @param appName          application name shown by the cluster manager
   * @param configuredMaster {@code spark.master} from the job config, if any
   */
  public static SparkSession create(String appName, Optional<String> configuredMaster) {
    SparkConf conf = fillGaps(new SparkConf(), appName, configuredMaster);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * {@code conf} (a SparkConf loaded from system properties, as spark-submit passes them)
   * with the master, app name and UI setting added where missing. Returns {@code conf}.
   */
  static SparkConf fillGaps(SparkConf conf, String appName, Optional<String> configuredMaster) {
    if (!conf.contains("spark.master")) {
      conf.setMaster(configuredMaster.orElse(LOCAL_MASTER));
    }
    conf.setIfMissing("spark.app.name", appName);
    conf.setIfMissing("spark.ui.enabled", "false");
    return conf;
  }
}
