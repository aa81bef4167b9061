package org.gsae.jobs.cli;

import java.util.List;
import org.gsae.jobs.config.ImportIdxOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae import-idx}: an IDX image dataset (MNIST, Fashion-MNIST) as an activation store. */
@Command(name = "import-idx", mixinStandardHelpOptions = true,
    header = "Turn an IDX image dataset (MNIST, Fashion-MNIST) into an activation store.",
    description = {
        "Writes one row per image: activation (pixels in [0, 1], row-major),",
        "image_id, label and, with --label-names, label_name. Reads .gz or raw files.",
        "The output must not exist."})
public final class ImportIdxCommand extends JobCommand {

  @Option(names = "--images", required = true, paramLabel = "FILE",
      description = "IDX images file (for example train-images-idx3-ubyte.gz).")
  String images;

  @Option(names = "--labels", required = true, paramLabel = "FILE",
      description = "IDX labels file of the same images.")
  String labels;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "The activation store to write (must not exist).")
  String output;

  @Option(names = "--label-names", paramLabel = "A,B,...", split = ",",
      description = "Class names in label order, stored as label_name.")
  List<String> labelNames;

  @Option(names = "--files", paramLabel = "N", defaultValue = "4",
      description = "Parquet files to write (default: ${DEFAULT-VALUE}).")
  int files;

  @Override
  protected Report execute() {
    return context.runners().importIdx().run(new ImportIdxOptions(images, labels, output,
        labelNames, files));
  }
}
