package org.gsae.tests.cluster.probe;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;

/**
 * A tiny Spark application for testing the test harness itself, submitted from a jar of this
 * package only (see {@code ProbeJar}). It prints {@code PROBE key=value} lines on stdout
 * (Spark logs to stderr):
 * {@code appId}, {@code taskExecutors} (sorted ids of the executors whose tasks succeeded)
 * and {@code result}. Modes:
 * <ul>
 *   <li>{@code sum N PARTITIONS}: the sum of {@code 2x} for x in 1..N; the result must be
 *       {@code N(N+1)}.
 *   <li>{@code slow TASKS SLEEP_MS}: TASKS one-element tasks, each sleeping SLEEP_MS and
 *       returning {@code i*i}; the result must be {@code sum_{i<TASKS} i^2}. Each task prints
 *       {@code PROBE-TASK <i> started on executor <id>} to its executor's stdout (on a
 *       cluster, the file {@code <work dir>/<app id>/<executor id>/stdout}), so that a fault
 *       test can kill an executor that is known to be running tasks.
 *   <li>{@code hang}: sleeps in the driver without starting Spark (for timeout tests).
 * </ul>
 */
public final class ClusterProbeMain {

  private ClusterProbeMain() {}

  /**
   * Runs one mode.
   *
   * @param args {@code sum N PARTITIONS}, {@code slow TASKS SLEEP_MS} or {@code hang}
   */
  public static void main(String[] args) throws InterruptedException {
    String mode = args.length > 0 ? args[0] : "";
    if ("hang".equals(mode)) {
      Thread.sleep(600_000L);
      return;
    }
    if (!"sum".equals(mode) && !"slow".equals(mode) || args.length != 3) {
      System.err.println("usage: ClusterProbeMain sum N PARTITIONS | slow TASKS SLEEP_MS | hang");
      System.exit(2);
    }
    int a = Integer.parseInt(args[1]);
    int b = Integer.parseInt(args[2]);
    SparkConf conf = new SparkConf().setAppName("gsae-cluster-probe-" + mode);
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      CollectionAccumulator<String> executors = sc.sc().collectionAccumulator("taskExecutors");
      print("appId", sc.sc().applicationId());
      long result;
      if ("sum".equals(mode)) {
        List<Integer> xs = IntStream.rangeClosed(1, a).boxed().toList();
        result = sc.parallelize(xs, b).map(x -> {
          executors.add(SparkEnv.get().executorId());
          return 2L * x;
        }).reduce(Long::sum);
      } else {
        List<Integer> is = IntStream.range(0, a).boxed().toList();
        long sleepMs = b;
        result = sc.parallelize(is, a).map(i -> {
          String executor = SparkEnv.get().executorId();
          executors.add(executor);
          // On a cluster this lands in the executor's stdout file in its Worker's work dir,
          // where a fault test sees that the executor is running tasks.
          System.out.println("PROBE-TASK " + i + " started on executor " + executor);
          Thread.sleep(sleepMs);
          return (long) i * i;
        }).reduce(Long::sum);
      }
      print("taskExecutors", new TreeSet<>(executors.value()).stream()
          .collect(Collectors.joining(",")));
      print("result", Long.toString(result));
    }
  }

  private static void print(String key, String value) {
    System.out.println("PROBE " + key + "=" + value);
    System.out.flush();
  }
}
