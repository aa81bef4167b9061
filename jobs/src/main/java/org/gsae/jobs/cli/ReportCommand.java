package org.gsae.jobs.cli;

import org.gsae.jobs.config.ReportOptions;
import org.gsae.jobs.run.Report;
import org.gsae.spark.report.ImageTiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae report}: a static HTML report of a run and its analysis. */
@Command(name = "report", mixinStandardHelpOptions = true,
    header = "A self-contained HTML report of a training run and its analysis.",
    description = {
        "Writes index.html (training curves, feature density, L0, reconstruction,",
        "provenance), features.html (the sortable feature list), feature.html#J (one",
        "page per feature: histogram, top examples with the token highlighted in its",
        "context, samples across the activation range) and, for image data,",
        "gallery.html. Opens from disk; nothing is fetched from the network.",
        "train and analyze write one into <output>/report by themselves."})
public final class ReportCommand extends JobCommand {

  @Option(names = "--run", paramLabel = "DIR",
      description = "A training output (metrics.parquet, model/); its analysis/ is used when present.")
  String run;

  @Option(names = "--analysis", paramLabel = "DIR",
      description = "An analyze output (summary.json, features.parquet, ...).")
  String analysis;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Directory for the report (an earlier report there is replaced).")
  String output;

  @Option(names = "--image-shape", paramLabel = "HxW",
      description = "Draw rows as HxW images (decoder and feature galleries). Default: 28x28 for "
          + "784-wide rows, 32x32 for 1024-wide rows, no galleries otherwise.")
  String imageShape;

  @Option(names = "--label-column", paramLabel = "NAME",
      description = "Metadata column with each row's class label: the feature gallery tags a "
          + "feature MONO when >= 80% of its top inputs share a label, POLY otherwise.")
  String labelColumn;

  @Override
  protected Report execute() {
    ReportOptions options = new ReportOptions(run, analysis, output,
        imageShape == null ? null : ImageTiles.Shape.parse(imageShape), labelColumn);
    return context.runners().report().run(options);
  }
}
