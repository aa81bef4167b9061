/**
 * The numeric facade: {@link org.gsae.core.tensor.Tensor} is a dense row-major vector or
 * matrix (float32 or float64) and this is the only package of gsae that imports ND4J. Keeping
 * the backend behind one small surface keeps the math readable, lets tests run the same code
 * in float64, and leaves room to swap the backend without touching the model.
 */
package org.gsae.core.tensor;
