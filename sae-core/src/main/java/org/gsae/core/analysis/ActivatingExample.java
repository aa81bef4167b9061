package org.gsae.core.analysis;

/**
 * A row of a dataset on which a feature fired.
 *
 * @param rowIndex   the row's index in the {@link org.gsae.core.data.ActivationDataset}
 * @param activation the feature's activation on that row ({@code > 0})
 */
public record ActivatingExample(int rowIndex, float activation) {}
