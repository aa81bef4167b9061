package org.gsae.jobs.cli;

import org.gsae.jobs.config.HarvestOptions;
import picocli.CommandLine.Option;

/** Where in the transformer activations are read, for {@code harvest} and {@code evaluate}. */
final class SiteOptions {
  @Option(names = "--layer", paramLabel = "L", defaultValue = "" + HarvestOptions.DEFAULT_LAYER,
      description = "Layer to read, from 0 (default: ${DEFAULT-VALUE}).")
  int layer;

  @Option(names = "--site", paramLabel = "resid|mlp", defaultValue = HarvestOptions.DEFAULT_SITE,
      description = "resid: the residual stream after the layer; mlp: the MLP's hidden "
          + "activation (default: ${DEFAULT-VALUE}).")
  String site;

  @Option(names = "--tensor", paramLabel = "NAME",
      description = "Read this graph tensor instead of --layer/--site (any [batch, sequence, "
          + "width] tensor).")
  String tensor;
}
