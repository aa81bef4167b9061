/**
 * The gated SAE model: its six parameters ({@link org.gsae.core.model.SaeParameters}), the
 * encoder/decoder as pure functions ({@link org.gsae.core.model.GatedEncoder}), the
 * user-facing {@link org.gsae.core.model.GatedSae}, and initialisation.
 * Rajamanoharan et al. 2024, "Improving Dictionary Learning with Gated Sparse Autoencoders",
 * arXiv 2404.16014.
 */
package org.gsae.core.model;
