package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The master and UI rules, on a SparkConf without starting Spark. */
class SessionsTest {

  @Test
  void givenNoMasterAnywhere_whenFilled_thenLocalStarAndNoUi() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "gsae train", Optional.empty());
    assertEquals("local[*]", c.get("spark.master"));
    assertEquals("false", c.get("spark.ui.enabled"));
    assertEquals("gsae train", c.get("spark.app.name"));
  }

  @Test
  void givenOnlyTheConfigsMaster_whenFilled_thenItIsUsed() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "a", Optional.of("local[2]"));
    assertEquals("local[2]", c.get("spark.master"));
  }

  @Test
  void givenNoTransferSettings_whenFilled_thenGradientsComeBackDirectAndBroadcastsUncompressed() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "gsae train", Optional.empty());
    assertEquals("512m", c.get("spark.task.maxDirectResultSize"));
    assertEquals("512", c.get("spark.rpc.message.maxSize"));
    assertEquals("false", c.get("spark.broadcast.compress"));
  }

  @Test
  void givenSubmittedTransferSettings_whenFilled_thenTheyAreKept() {
    SparkConf submitted = new SparkConf(false).set("spark.task.maxDirectResultSize", "4m")
        .set("spark.broadcast.compress", "true");
    SparkConf c = Sessions.fillGaps(submitted, "gsae train", Optional.empty());
    assertEquals("4m", c.get("spark.task.maxDirectResultSize"));
    assertEquals("true", c.get("spark.broadcast.compress"));
  }

  @Test
  void givenSparkSubmitSettings_whenFilled_thenTheyWinOverTheConfig() {
    SparkConf submitted = new SparkConf(false).setMaster("spark://h:7077")
        .set("spark.ui.enabled", "true").setAppName("from --name");
    SparkConf c = Sessions.fillGaps(submitted, "gsae train", Optional.of("local[2]"));
    assertEquals("spark://h:7077", c.get("spark.master"));
    assertEquals("true", c.get("spark.ui.enabled"));
    assertEquals("from --name", c.get("spark.app.name"));
  }
}
