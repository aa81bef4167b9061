/**
 * End-to-end suites of the gsae CLI ({@code org.gsae.jobs.Main}) run the way users run it:
 * {@code SparkSubmit} with the shaded jobs jar, on {@code local[2]} and on a real standalone
 * cluster started by {@link org.gsae.tests.cluster.LocalStandaloneCluster}. Inputs are written
 * by parquet-hadoop, not by gsae ({@link org.gsae.tests.jobs.ForeignStore}); outputs are read
 * back in the test JVM with sae-core's model loader and parquet-hadoop.
 *
 * <ul>
 *   <li>{@link org.gsae.tests.jobs.SparkSubmitLocalTest}: {@code train} on {@code local[2]}.
 *   <li>{@link org.gsae.tests.jobs.GsaeOnClusterTest}: {@code train}, {@code analyze},
 *       {@code encode} on the cluster, outputs checked against each other.
 *   <li>{@link org.gsae.tests.jobs.FaultToleranceTest}: {@code kill -9} of an executor, a
 *       Worker and the driver; final weights bit-for-bit equal to an undisturbed run.
 * </ul>
 */
package org.gsae.tests.jobs;
