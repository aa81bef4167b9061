package org.gsae.jobs.cli;

import org.gsae.jobs.config.EncodeOptions;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sae encode}: feature codes for every row of a store. */
@Command(name = "encode", mixinStandardHelpOptions = true,
    header = "Encode a store into sparse (or dense) feature codes.",
    description = {
        "Encode an activation store with a trained model. Writes Parquet with sparse codes",
        "(feature_indices array<int>, feature_values array<float>) or, with --dense,",
        "feature_acts array<float>; every other input column is carried through."})
public final class EncodeCommand extends JobCommand {

  @Mixin
  ModelStoreOptions store;

  @Option(names = "--output", required = true, paramLabel = "PATH",
      description = "Parquet output path.")
  String output;

  @Option(names = "--dense", description = "Write dense feature_acts instead of sparse codes.")
  boolean dense;

  @Option(names = "--reconstruct", description = "Also write reconstruction array<float>.")
  boolean reconstruct;


  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + EncodeOptions.DEFAULT_BATCH_SIZE,
      description = "Rows encoded per block; 0 = automatic: the largest power of two up to "
          + "4096 whose [rows, d_sae] buffers stay within 64 MB (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  protected Report execute() {
    EncodeOptions options = new EncodeOptions(store.model, store.input, store.column, store.onInvalid, output, dense,
        reconstruct, batchSize);
    return context.runners().encode().run(options);
  }
}
