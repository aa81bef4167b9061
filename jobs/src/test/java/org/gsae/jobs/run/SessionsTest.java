package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.SparkConf;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
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
  void givenNoTransferSettings_whenFilled_thenBroadcastsUncompressedAndResultSettingsLeftToSpark() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "gsae train", Optional.empty());
    assertEquals("false", c.get("spark.broadcast.compress"));
    assertFalse(c.contains("spark.task.maxDirectResultSize"), "gradients are not task results");
    assertFalse(c.contains("spark.rpc.message.maxSize"));
  }

  @Test
  void givenSubmittedTransferSettings_whenFilled_thenTheyAreKept() {
    SparkConf submitted = new SparkConf(false).set("spark.broadcast.compress", "true");
    SparkConf c = Sessions.fillGaps(submitted, "gsae train", Optional.empty());
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

  private static final String KRYO = "org.apache.spark.serializer.KryoSerializer";
  private static final String OURS = "org.gsae.spark.GsaeKryoRegistrator";

  @Test
  void givenKryo_whenFilled_thenGsaesRegistratorIsAddedAfterTheUsersOwn() {
    SparkConf alone = Sessions.fillGaps(new SparkConf(false).set("spark.serializer", KRYO),
        "a", Optional.empty());
    assertEquals(OURS, alone.get("spark.kryo.registrator"));
    SparkConf mixed = Sessions.fillGaps(new SparkConf(false).set("spark.serializer", KRYO)
        .set("spark.kryo.registrator", "com.example.Mine"), "a", Optional.empty());
    assertEquals("com.example.Mine," + OURS, mixed.get("spark.kryo.registrator"));
    SparkConf again = Sessions.fillGaps(mixed.clone(), "a", Optional.empty());
    assertEquals("com.example.Mine," + OURS, again.get("spark.kryo.registrator"), "added once");
  }

  @Test
  void givenTheJavaSerializer_whenFilled_thenNoRegistratorIsSet() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "a", Optional.empty());
    assertFalse(c.contains("spark.kryo.registrator"));
    Sessions.requireUsableSerializer(c);   // no exception
  }

  @Test
  void givenAnExistingKryoSessionWithoutTheRegistrator_whenChecked_thenAUsageErrorNamesTheKeyAndTheFix() {
    SparkConf existing = new SparkConf(false).set("spark.serializer", KRYO)
        .set("spark.kryo.registrator", "com.example.Mine");
    GsaeException e = assertThrows(GsaeException.class, () -> Sessions.requireUsableSerializer(existing));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(e.getMessage().contains("spark.kryo.registrator (com.example.Mine) does not list " + OURS),
        e.getMessage());
    Sessions.requireUsableSerializer(existing.set("spark.kryo.registrator", "com.example.Mine, " + OURS));
  }

  /** Executors of a local-cluster master are JVMs of their own: they get the Vector API too. */
  @Test
  void givenALocalClusterMaster_thenExecutorsGetTheVectorApiModule() {
    SparkConf c = Sessions.fillGaps(new SparkConf(false), "gsae bench",
        Optional.of("local-cluster[2,1,1024]"));
    assertEquals("--add-modules=jdk.incubator.vector", c.get("spark.executor.extraJavaOptions"));
    assertEquals("1024m", c.get("spark.executor.memory"), "the worker memory of the master URL");
    assertEquals("3g", Sessions.fillGaps(new SparkConf(false).set("spark.executor.memory", "3g"),
        "a", Optional.of("local-cluster[2, 1, 1024]")).get("spark.executor.memory"));
    SparkConf own = new SparkConf(false).set("spark.executor.extraJavaOptions", "-Dmine=1");
    assertEquals("-Dmine=1", Sessions.fillGaps(own, "a", Optional.of("local-cluster[2,1,1024]"))
        .get("spark.executor.extraJavaOptions"), "a user's options are left alone");
    assertFalse(Sessions.fillGaps(new SparkConf(false), "a", Optional.of("local[2]"))
        .contains("spark.executor.extraJavaOptions"));
    assertFalse(Sessions.fillGaps(new SparkConf(false), "a", Optional.of("local[2]"))
        .contains("spark.executor.memory"));
  }
}
