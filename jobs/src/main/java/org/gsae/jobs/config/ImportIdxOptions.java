package org.gsae.jobs.config;

import java.util.List;

/**
 * The {@code import-idx} command, validated: an IDX image dataset in, an activation store out.
 *
 * @param imagesPath IDX images file ({@code --images})
 * @param labelsPath IDX labels file of the same images ({@code --labels})
 * @param outputPath the store to write ({@code --output}); must not exist
 * @param labelNames class names in label order ({@code --label-names}), or null
 * @param files      Parquet files to write ({@code --files}), >= 1
 */
public record ImportIdxOptions(String imagesPath, String labelsPath, String outputPath,
    List<String> labelNames, int files) {

  public ImportIdxOptions {
    OptionProblems p = new OptionProblems("import-idx");
    p.requirePath(imagesPath, "--images", "an IDX images file");
    p.requirePath(labelsPath, "--labels", "an IDX labels file");
    p.requirePath(outputPath, "--output", "the store to write");
    p.check(files >= 1, "--files must be >= 1, got " + files);
    p.check(labelNames == null || labelNames.stream().noneMatch(String::isBlank),
        "--label-names must not contain an empty name, got " + labelNames);
    p.throwIfAny();
    labelNames = labelNames == null ? null : List.copyOf(labelNames);
  }
}
