package org.gsae.jobs.run;

import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.sql.SparkSession;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.spark.GsaeKryoRegistrator;

/**
 * Creates the SparkSession of a job. Whatever spark-submit (or {@code -Dspark.*} system
 * properties) set wins; the job config only fills gaps: its {@code spark.master} is used
 * when no master was given, else {@code local[*]}; the web UI stays off unless asked for
 * ({@code spark.ui.enabled=true}), since local runs and tests do not need its port;
 * {@link #TRAINING_DEFAULTS} leave the per-step broadcast uncompressed; and when
 * {@code spark.serializer} is Kryo, {@link GsaeKryoRegistrator} is added to
 * {@code spark.kryo.registrator} (gsae's objects cannot travel through Kryo's default
 * serializer).
 */
public final class Sessions {
  private Sessions() {}

  /**
   * Settings applied where spark-submit did not set them: model parameters are float noise to
   * LZ4, so compressing a broadcast model (the analysis and encode jobs broadcast theirs) costs
   * time and saves nothing (measured ~20 ms per step when training still broadcast its
   * parameters); {@code spark.broadcast.compress} is off. Training's blocks are stored as
   * written, uncompressed.
   */
  static final Map<String, String> TRAINING_DEFAULTS = Map.of("spark.broadcast.compress", "false");

  private static final String REGISTRATOR_KEY = "spark.kryo.registrator";

  /** {@code local-cluster[workers, cores, memory MB]}: group 1 is the memory. */
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*\\d+\\s*,\\s*\\d+\\s*,\\s*(\\d+)\\s*]");

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
    SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
    requireUsableSerializer(spark.sparkContext().getConf());   // a session that already existed
    return spark;
  }

  /**
   * The session of one command, and whether the command created it. A command stops the
   * session when it is done only if it created it: run from {@code Main.main} (the CLI,
   * spark-submit) that is always the case, while a session that already existed (a test's, a
   * notebook's, an application that calls {@code Main.run}) is left running for its owner.
   */
  public static final class JobSession implements AutoCloseable {
    private final SparkSession spark;
    private final boolean owned;

    JobSession(SparkSession spark, boolean owned) {
      this.spark = spark;
      this.owned = owned;
    }

    /** The session to run the job on. */
    public SparkSession spark() {
      return spark;
    }

    /** Whether this command created the session (and so stops it). */
    public boolean owned() {
      return owned;
    }

    /** Stops the session if this command created it. */
    @Override
    public void close() {
      if (owned) {
        spark.stop();
      }
    }
  }

  /**
   * {@link #create} wrapped with ownership: the returned handle stops the session on close
   * only when no live session existed before this call.
   */
  public static JobSession open(String appName, Optional<String> configuredMaster) {
    boolean existed = isLive(SparkSession.getActiveSession())
        || isLive(SparkSession.getDefaultSession());
    return new JobSession(create(appName, configuredMaster), !existed);
  }

  private static boolean isLive(scala.Option<SparkSession> s) {
    return s.isDefined() && !s.get().sparkContext().isStopped();
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
    for (Map.Entry<String, String> e : TRAINING_DEFAULTS.entrySet()) {
      conf.setIfMissing(e.getKey(), e.getValue());
    }
    if (usesKryo(conf) && !registersGsae(conf)) {
      String listed = conf.get(REGISTRATOR_KEY, "").strip();
      conf.set(REGISTRATOR_KEY, (listed.isEmpty() ? "" : listed + ",") + GsaeKryoRegistrator.class.getName());
    }
    if (conf.get("spark.master").startsWith("local-cluster")) {
      // local-cluster starts executors in JVMs of their own, which need gsae's classes (the
      // jar this code runs from: bin/sae's shaded jar; spark-submit sets spark.jars itself) and
      // the Vector API module for the sparse step's SIMD loops (measured: Spark step / core
      // step 0.31 without, 0.39 with, at 768 x 6144 on local-cluster[2,1,2048]).
      if (!conf.contains("spark.jars")) {
        ownJar().ifPresent(jar -> conf.set("spark.jars", jar));
      }
      conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
      // Spark gives those executors spark.executor.memory (1g by default), not the memory the
      // master URL grants each worker: use the latter unless set.
      Matcher m = LOCAL_CLUSTER.matcher(conf.get("spark.master"));
      if (m.matches()) {
        conf.setIfMissing("spark.executor.memory", m.group(1) + "m");
      }
    }
    return conf;
  }

  /** The jar gsae's classes are loaded from, if they come from a jar (not a classes directory). */
  static Optional<String> ownJar() {
    try {
      String location = Sessions.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI().toString();
      return location.endsWith(".jar") ? Optional.of(location) : Optional.empty();
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      return Optional.empty();
    }
  }

  /**
   * Fails with a usage error (exit 2) when the session's serializer is Kryo and its
   * {@code spark.kryo.registrator} does not list {@link GsaeKryoRegistrator}: this happens
   * only with a session created before the job (a notebook's, an application's), whose
   * settings the job cannot change. Without it the first training step would fail inside
   * Kryo.
   */
  static void requireUsableSerializer(SparkConf conf) {
    if (usesKryo(conf) && !registersGsae(conf)) {
      throw new GsaeException(ErrorCode.USAGE, "spark.serializer is " + conf.get("spark.serializer")
          + " but " + REGISTRATOR_KEY + " (" + conf.get(REGISTRATOR_KEY, "unset")
          + ") does not list " + GsaeKryoRegistrator.class.getName()
          + ", which gsae's objects need to travel through Kryo", REGISTRATOR_KEY,
          "create the session with " + REGISTRATOR_KEY + "=" + GsaeKryoRegistrator.class.getName()
          + " (comma-separated after any registrator of your own), or with the default Java serializer",
          null);
    }
  }

  private static boolean usesKryo(SparkConf conf) {
    String name = conf.get("spark.serializer", "").strip();
    if (name.isEmpty()) {
      return false;
    }
    try {
      return KryoSerializer.class.isAssignableFrom(Class.forName(name, false,
          Thread.currentThread().getContextClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return name.equals(KryoSerializer.class.getName());
    }
  }

  private static boolean registersGsae(SparkConf conf) {
    for (String r : conf.get(REGISTRATOR_KEY, "").split(",")) {
      if (r.strip().equals(GsaeKryoRegistrator.class.getName())) {
        return true;
      }
    }
    return false;
  }
}
