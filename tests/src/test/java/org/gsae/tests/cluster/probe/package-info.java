/**
 * A self-contained Spark application used only to test the cluster harness; the harness
 * packages this package alone into a jar and submits it, so it must not use any other class
 * of the tests module.
 */
package org.gsae.tests.cluster.probe;
