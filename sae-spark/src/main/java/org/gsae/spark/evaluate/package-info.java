/**
 * {@code evaluate}: how much of a transformer's output survives when a trained SAE's
 * reconstruction is spliced in at the site it was trained on.
 */
package org.gsae.spark.evaluate;
