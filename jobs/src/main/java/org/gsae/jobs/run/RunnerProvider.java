package org.gsae.jobs.run;

/**
 * Where the commands get their runners. Each method is called only after the command's
 * arguments have been parsed and validated, so nothing Spark-related starts for a bad
 * invocation. {@link #DEFAULT} delegates to {@link Runners}; tests pass fakes.
 */
public interface RunnerProvider {
  /** The runner of {@code train}. */
  TrainRunner train();

  /** The runner of {@code demo}. */
  DemoRunner demo();

  /** The runner of {@code analyze}. */
  AnalyzeRunner analyze();

  /** The runner of {@code encode}. */
  EncodeRunner encode();

  /** The runner of {@code bench}. */
  BenchRunner bench();

  /** The runner of {@code shuffle}. */
  ShuffleRunner shuffle();

  /** The runner of {@code report}. */
  ReportRunner report();

  /** The runner of {@code import-idx}. */
  ImportIdxRunner importIdx();

  /** The runner of {@code harvest}. */
  HarvestRunner harvest();

  /** The runner of {@code evaluate}. */
  EvaluateRunner evaluate();

  /** The production runners, from {@link Runners}. */
  RunnerProvider DEFAULT = new RunnerProvider() {
    @Override
    public TrainRunner train() {
      return Runners.train();
    }

    @Override
    public DemoRunner demo() {
      return Runners.demo();
    }

    @Override
    public AnalyzeRunner analyze() {
      return Runners.analyze();
    }

    @Override
    public EncodeRunner encode() {
      return Runners.encode();
    }

    @Override
    public BenchRunner bench() {
      return Runners.bench();
    }

    @Override
    public ShuffleRunner shuffle() {
      return Runners.shuffle();
    }

    @Override
    public ReportRunner report() {
      return Runners.report();
    }

    @Override
    public ImportIdxRunner importIdx() {
      return Runners.importIdx();
    }

    @Override
    public HarvestRunner harvest() {
      return Runners.harvest();
    }

    @Override
    public EvaluateRunner evaluate() {
      return Runners.evaluate();
    }
  };
}
