package org.gsae.jobs.cli;

import picocli.CommandLine.Option;

/** The texts {@code harvest} and {@code evaluate} read (a picocli mixin). */
final class TextInputOptions {
  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "Texts: text files, a text per line (file, directory or glob), or Parquet "
          + "with --text-column.")
  String input;

  @Option(names = "--text-column", paramLabel = "NAME",
      description = "Read Parquet and take the texts from this string column (harvest copies "
          + "the other columns to every token row).")
  String textColumn;
}
