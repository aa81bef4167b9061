/**
 * Optimisation pieces: {@link org.gsae.core.optim.Adam}, global-norm gradient clipping and
 * the unit-norm decoder constraint. Each is a small class testable against the PyTorch
 * reference step in sae-core's test resources ({@code reference/}).
 */
package org.gsae.core.optim;
