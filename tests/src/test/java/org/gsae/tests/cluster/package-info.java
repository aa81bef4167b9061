/**
 * Test harness for running gsae on a real Spark standalone cluster on 127.0.0.1, started by
 * the test suite itself from Maven Central jars (no Spark distribution needed).
 *
 * <ul>
 *   <li>{@link org.gsae.tests.cluster.SparkHome}: the {@code tests/target/spark-home} the build
 *       materialises ({@code jars/} by copy-dependencies, {@code conf/log4j2.properties}), and
 *       the command line and environment of every Spark JVM.
 *   <li>{@link org.gsae.tests.cluster.LocalStandaloneCluster}: one Master and N Workers, each
 *       its own JVM; executor lookup and {@code kill -9} of executors or Workers for fault
 *       tests; stops only the processes it started.
 *   <li>{@link org.gsae.tests.cluster.SparkSubmitRunner}: {@code SparkSubmit} in client mode
 *       with the shaded jobs jar, on a cluster or on {@code local[N]}.
 *   <li>{@link org.gsae.tests.cluster.ClusterTest}: marks tests that start a cluster (tag
 *       {@code cluster}; skipped with {@code -Dgsae.cluster.skip=true}).
 * </ul>
 *
 * Everything a run writes goes under {@code tests/target/cluster-scratch/}.
 */
package org.gsae.tests.cluster;
