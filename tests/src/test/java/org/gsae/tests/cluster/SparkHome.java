package org.gsae.tests.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Spark "distribution" the tests module materialises from Maven Central jars
 * ({@code tests/target/spark-home}: {@code jars/} and {@code conf/}), and how to start a JVM
 * on it: the {@code java} command line and the environment every Spark JVM of a test run gets.
 *
 * <p>Locations come from system properties that the tests module's Surefire configuration
 * sets: {@code gsae.spark.home}, {@code gsae.spark.jvm.opens} (Spark's Java 17 module flags,
 * the parent pom's {@code spark.jvm.opens}) and {@code gsae.cluster.scratch}.
 */
public final class SparkHome {

  /**
   * Client compiler only and serial GC: short-lived test JVMs start much faster when several
   * start at once on few cores, because they do not compete with C2 compiler and G1 threads.
   */
  public static final List<String> QUICK_START_JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static final String HOME_PROPERTY = "gsae.spark.home";
  private static final String OPENS_PROPERTY = "gsae.spark.jvm.opens";
  private static final String SCRATCH_PROPERTY = "gsae.cluster.scratch";
  private static final String HOW_TO_RUN =
      "run the tests through Maven from the project root, e.g. "
          + "mvn -B -pl tests -am verify -Dtest='StandaloneCluster*' "
          + "-Dsurefire.failIfNoSpecifiedTests=false";

  private final Path home;
  private final List<String> moduleFlags;
  private final Path scratchRoot;

  private SparkHome(Path home, List<String> moduleFlags, Path scratchRoot) {
    this.home = home;
    this.moduleFlags = List.copyOf(moduleFlags);
    this.scratchRoot = scratchRoot;
  }

  /**
   * The Spark home configured by the build, checked: its {@code jars/} holds spark-core and
   * the slf4j 2 + log4j2 binding (without them every Spark JVM would log nothing).
   *
   * @throws IllegalStateException naming the missing property or file and how to fix it
   */
  public static SparkHome fromSystemProperties() {
    Path home = Path.of(requiredProperty(HOME_PROPERTY)).toAbsolutePath().normalize();
    Path jars = home.resolve("jars");
    requireJar(jars, "spark-core_");
    requireJar(jars, "slf4j-api-2.");
    requireJar(jars, "log4j-slf4j2-impl-");
    if (!Files.isRegularFile(home.resolve("conf/log4j2.properties"))) {
      throw new IllegalStateException(
          "Spark home " + home + " has no conf/log4j2.properties; expected the copy of "
              + "tests/src/test/spark-conf/log4j2.properties made at generate-test-resources; "
              + HOW_TO_RUN);
    }
    List<String> flags = Arrays.stream(requiredProperty(OPENS_PROPERTY).trim().split("\\s+"))
        .filter(s -> !s.isEmpty())
        .toList();
    Path scratch = Path.of(requiredProperty(SCRATCH_PROPERTY)).toAbsolutePath().normalize();
    return new SparkHome(home, flags, scratch);
  }

  /** The Spark home directory (holds {@code jars/} and {@code conf/}). */
  public Path home() {
    return home;
  }

  /** The directory under which each cluster or submission gets its own scratch directory. */
  public Path scratchRoot() {
    return scratchRoot;
  }

  /** Spark's Java 17 {@code --add-opens} flags, one element per flag. */
  public List<String> moduleFlags() {
    return moduleFlags;
  }

  /** {@code $SPARK_HOME/conf:$SPARK_HOME/jars/*}, as {@code spark-class} builds it. */
  public String classpath() {
    return home.resolve("conf") + java.io.File.pathSeparator + home.resolve("jars") + "/*";
  }

  /** The {@code java} launcher of the JVM running the tests; every Spark JVM uses the same. */
  public static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /**
   * A {@code java} command line on this Spark home: {@code java -cp <conf:jars/*> -Xmx<heap>
   * <module flags> -Djava.io.tmpdir=<tmpDir> <extraJvmOptions> <mainClass> <args>}.
   *
   * @param heap            the {@code -Xmx} value, e.g. {@code 512m}
   * @param tmpDir          this JVM's {@code java.io.tmpdir} (kept out of /tmp)
   * @param extraJvmOptions further JVM options, placed before the main class
   * @param mainClass       the fully qualified main class
   * @param args            the program arguments
   */
  public List<String> javaCommand(String heap, Path tmpDir, List<String> extraJvmOptions,
      String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable().toString());
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add("-Xmx" + heap);
    cmd.addAll(moduleFlags);
    cmd.add("-Djava.io.tmpdir=" + tmpDir);
    cmd.addAll(extraJvmOptions);
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * The environment of every Spark JVM of a run; Workers hand it on to their executors.
   * Without {@code SPARK_SCALA_VERSION} a Worker cannot build executor command lines,
   * without {@code SPARK_LOCAL_IP} the web UIs bind 0.0.0.0, without
   * {@code SPARK_LOCAL_DIRS} block-manager directories litter /tmp.
   *
   * @param localDirs the value of {@code SPARK_LOCAL_DIRS}
   */
  public Map<String, String> environment(Path localDirs) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", localDirs.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // BLAS threads per JVM: each executor runs one task per core (docs/performance.md, "Backend facts").
    env.put("OMP_NUM_THREADS", "1");
    return env;
  }

  private static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "System property " + name + " is not set; the tests module's Surefire configuration "
              + "sets it; " + HOW_TO_RUN);
    }
    return value;
  }

  private static void requireJar(Path jars, String prefix) {
    boolean found;
    try (Stream<Path> files = Files.isDirectory(jars) ? Files.list(jars) : Stream.empty()) {
      found = files.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + jars, e);
    }
    if (!found) {
      throw new IllegalStateException(
          "No " + prefix + "*.jar in " + jars + "; the tests module's copy-dependencies "
              + "execution (generate-test-resources) fills this directory; " + HOW_TO_RUN);
    }
  }
}
