/**
 * The gated SAE objective ({@link org.gsae.core.loss.GatedLoss}) with hand-derived
 * gradients, returned as sums over rows ({@link org.gsae.core.loss.LossSums}) so that
 * partial results from blocks and partitions merge by addition.
 */
package org.gsae.core.loss;
