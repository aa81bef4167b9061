package org.gsae.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.gsae.jobs.config.ConfigLoader;
import org.gsae.jobs.config.ConfigRenderer;
import org.gsae.jobs.config.JobConfig;
import org.gsae.jobs.run.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sae train}: load and validate the job config, then train. */
@Command(name = "train", mixinStandardHelpOptions = true,
    header = "Train a gated SAE on an activation store.",
    description = {
        "Train a gated SAE on an activation store. Writes model/, checkpoints/ and",
        "metrics.parquet under output.path and resumes from the newest checkpoint there."},
    footer = {"", "Every key, its type, default and allowed values: conf/train.conf.",
        "Example: sae train --conf conf/train.conf --set input.path=acts/ --set output.path=run1/"})
public final class TrainCommand extends JobCommand {

  @Option(names = "--conf", paramLabel = "FILE",
      description = "Job config: HOCON (.conf), JSON or .properties; any Hadoop path."
          + " Without it, every key starts at its default.")
  String conf;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one key (repeatable; later wins). The value is read as HOCON:"
          + " --set train.lr=1e-3 is a number, --set model.d_sae=null unsets a key.")
  List<String> sets = new ArrayList<>();

  @Option(names = "--dry-run",
      description = "Validate, print the resolved config as HOCON and exit without running.")
  boolean dryRun;

  @Override
  protected Report execute() {
    JobConfig cfg = ConfigLoader.load(Optional.ofNullable(conf), sets, context.env());
    if (dryRun) {
      context.out().print(ConfigRenderer.toHocon(cfg));
      return null;
    }
    return context.runners().train().run(cfg);
  }
}
