/** The embedded default: a synthetic activation store with known ground truth, for the demo and tests. */
package org.gsae.spark.demo;
