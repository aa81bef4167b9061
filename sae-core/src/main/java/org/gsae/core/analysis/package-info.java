/**
 * The local, in-memory feature analysis API of the original Python project
 * ({@code SaeFeatureAnalyzer}: top activating examples, dead feature ratio) plus gated-sae-tf's
 * {@code sparsityReport} and {@code decoderSharpness}. It runs the model over an
 * {@link org.gsae.core.data.ActivationDataset} in row batches and feeds the mergeable aggregators
 * of {@link org.gsae.core.metrics}, the same ones the distributed analysis pass uses.
 */
package org.gsae.core.analysis;
