package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs {@code org.apache.spark.deploy.SparkSubmit} as a child JVM on the build's
 * {@link SparkHome}, in client mode, as a user would run {@code spark-submit}:
 *
 * <pre>
 * java -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" -Xmx&lt;driver heap&gt; &lt;module flags&gt;
 *   org.apache.spark.deploy.SparkSubmit --master &lt;url&gt; --deploy-mode client
 *   --conf spark.ui.enabled=false --conf spark.executorEnv.OMP_NUM_THREADS=1 [--conf k=v]...
 *   --class org.gsae.jobs.Main &lt;shaded jobs jar&gt; &lt;args&gt;...
 * </pre>
 *
 * <p>Immutable: every {@code with...} method returns a new runner. {@link #run()} waits for the
 * exit (or the timeout, which kills the driver and its children) and returns a
 * {@link SubmitResult}; {@link #start()} returns a {@link RunningSubmit} for tests that act
 * while the job runs. The master is a cluster's URL ({@link LocalStandaloneCluster#submit()})
 * or {@code local[N]} ({@link #local(int)}), which needs no cluster.
 */
public final class SparkSubmitRunner {

  /** The entry point of the shaded jobs jar. */
  public static final String JOBS_MAIN = "org.gsae.jobs.Main";

  private static final String SUBMIT_MAIN = "org.apache.spark.deploy.SparkSubmit";
  private static final String JOBS_JAR_PROPERTY = "gsae.jobs.jar";

  private final SparkHome home;
  private final String master;
  private final Path scratchRoot;
  private final Path appJar;
  private final String mainClass;
  private final Map<String, String> conf;
  private final List<String> args;
  private final String driverHeap;
  private final Duration timeout;
  private final String label;
  private final boolean quickStart;

  private SparkSubmitRunner(SparkHome home, String master, Path scratchRoot, Path appJar,
      String mainClass, Map<String, String> conf, List<String> args, String driverHeap,
      Duration timeout, String label, boolean quickStart) {
    this.home = Objects.requireNonNull(home, "home");
    this.master = Objects.requireNonNull(master, "master");
    this.scratchRoot = Objects.requireNonNull(scratchRoot, "scratchRoot");
    this.appJar = appJar;
    this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    this.conf = Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    this.args = List.copyOf(args);
    this.driverHeap = Objects.requireNonNull(driverHeap, "driverHeap");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.label = Objects.requireNonNull(label, "label");
    this.quickStart = quickStart;
  }

  /**
   * A runner for {@code --master <master>} on the build's Spark home: the jobs jar and
   * {@value #JOBS_MAIN}, driver heap 1g, timeout 5 minutes, no arguments.
   */
  public static SparkSubmitRunner on(String master) {
    SparkHome home = SparkHome.fromSystemProperties();
    return new SparkSubmitRunner(home, master, home.scratchRoot(), null, JOBS_MAIN, Map.of(),
        List.of(), "1g", Duration.ofMinutes(5), "submit", true);
  }

  /** A runner for {@code --master local[threads]}: Spark in the driver JVM, no cluster. */
  public static SparkSubmitRunner local(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    return on("local[" + threads + "]");
  }

  /**
   * The shaded jobs jar, {@code jobs/target/gsae-jobs-<version>-all.jar} (system property
   * {@value #JOBS_JAR_PROPERTY}, set by the tests module's pom).
   *
   * @throws IllegalStateException if it does not exist, saying how to build it
   */
  public static Path jobsJar() {
    String property = System.getProperty(JOBS_JAR_PROPERTY);
    if (property == null || property.isBlank()) {
      throw new IllegalStateException("System property " + JOBS_JAR_PROPERTY + " is not set; "
          + "the tests module's Surefire configuration sets it; run the tests through Maven");
    }
    return requireJar(Path.of(property));
  }

  /**
   * {@code jar}, checked to be a file.
   *
   * @throws IllegalStateException if it is missing, saying which build step produces it
   */
  static Path requireJar(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("The shaded jobs jar " + jar + " does not exist. The jobs "
          + "module builds it in its package phase, so run the tests with "
          + "'mvn -B -pl tests -am verify' (not 'test', which stops before package), or build "
          + "it first with 'mvn -B -pl jobs -am package -DskipTests'.");
    }
    return jar;
  }

  /** This runner with the application jar {@code jar} instead of the jobs jar. */
  public SparkSubmitRunner withAppJar(Path jar) {
    return new SparkSubmitRunner(home, master, scratchRoot, jar, mainClass, conf, args,
        driverHeap, timeout, label, quickStart);
  }

  /** This runner with {@code --class className}. */
  public SparkSubmitRunner withMainClass(String className) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, className, conf, args,
        driverHeap, timeout, label, quickStart);
  }

  /** This runner with {@code --conf key=value} added (replacing an earlier value of {@code key}). */
  public SparkSubmitRunner withConf(String key, String value) {
    Map<String, String> more = new LinkedHashMap<>(conf);
    more.put(key, value);
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, more, args,
        driverHeap, timeout, label, quickStart);
  }

  /** This runner with these application arguments (replacing earlier ones). */
  public SparkSubmitRunner withArgs(String... appArgs) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, conf,
        Arrays.asList(appArgs), driverHeap, timeout, label, quickStart);
  }

  /** This runner with the driver JVM's {@code -Xmx}, e.g. {@code 2g}. */
  public SparkSubmitRunner withDriverHeap(String heap) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, conf, args, heap,
        timeout, label, quickStart);
  }

  /** This runner with a different timeout, after which the driver and its children are killed. */
  public SparkSubmitRunner withTimeout(Duration limit) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, conf, args,
        driverHeap, limit, label, quickStart);
  }

  /** This runner with a word that names its scratch directory, e.g. {@code train-resume}. */
  public SparkSubmitRunner withLabel(String word) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, conf, args,
        driverHeap, timeout, word, quickStart);
  }

  /** This runner with its scratch directories created under {@code root}. */
  public SparkSubmitRunner withScratchRoot(Path root) {
    return new SparkSubmitRunner(home, master, root, appJar, mainClass, conf, args, driverHeap,
        timeout, label, quickStart);
  }

  /**
   * This runner with or without {@link SparkHome#QUICK_START_JVM_OPTIONS} on the driver and
   * the executors. On by default: on a 2-core machine where driver,
   * executors and daemons start at once, they halved the wall time of a trivial cluster job
   * (17-24 s against 32-51 s), mostly by not competing with C2 compiler threads. Turn them off
   * for anything that measures steady-state speed.
   */
  public SparkSubmitRunner withQuickStartJvms(boolean on) {
    return new SparkSubmitRunner(home, master, scratchRoot, appJar, mainClass, conf, args,
        driverHeap, timeout, label, on);
  }

  /** The {@code --master} value. */
  public String master() {
    return master;
  }

  /** Starts SparkSubmit and waits for it to exit or time out. */
  public SubmitResult run() {
    try (RunningSubmit running = start()) {
      return running.await();
    }
  }

  /**
   * Starts SparkSubmit in a fresh scratch directory (its working directory: stdout.txt,
   * stderr.txt, tmp/, local/) and returns at once.
   */
  public RunningSubmit start() {
    Path jar = appJar != null ? requireJar(appJar) : jobsJar();
    Path dir = ScratchDir.create(scratchRoot, label);
    Path tmp = ScratchDir.createDirectories(dir.resolve("tmp"));
    Path local = ScratchDir.createDirectories(dir.resolve("local"));
    List<String> driverOptions = quickStart ? SparkHome.QUICK_START_JVM_OPTIONS : List.of();
    List<String> cmd = home.javaCommand(driverHeap, tmp, driverOptions, SUBMIT_MAIN,
        submitArguments(jar, tmp));
    Path stdout = dir.resolve("stdout.txt");
    Path stderr = dir.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(home.environment(local));
    try {
      writeCommandFile(dir, cmd);
      return new RunningSubmit(pb.start(), cmd, dir, stdout, stderr, timeout);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start SparkSubmit: " + String.join(" ", cmd), e);
    }
  }

  private List<String> submitArguments(Path jar, Path tmp) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("spark.ui.enabled", "false");
    all.put("spark.executorEnv.OMP_NUM_THREADS", "1");
    all.putAll(conf);
    // Executors' temp files (native libraries unpacked by snappy, zstd, netty) stay in scratch.
    String executorOpts = "-Djava.io.tmpdir=" + tmp
        + (quickStart ? " " + String.join(" ", SparkHome.QUICK_START_JVM_OPTIONS) : "");
    String userOpts = conf.get("spark.executor.extraJavaOptions");
    all.put("spark.executor.extraJavaOptions",
        userOpts == null ? executorOpts : executorOpts + " " + userOpts);
    List<String> out = new ArrayList<>(List.of("--master", master, "--deploy-mode", "client"));
    all.forEach((k, v) -> {
      out.add("--conf");
      out.add(k + "=" + v);
    });
    out.add("--class");
    out.add(mainClass);
    out.add(jar.toString());
    out.addAll(args);
    return out;
  }

  private static void writeCommandFile(Path dir, List<String> cmd) throws IOException {
    // For re-running a failed submission by hand.
    Files.writeString(dir.resolve("command.txt"), String.join("\n", cmd) + "\n");
  }
}
