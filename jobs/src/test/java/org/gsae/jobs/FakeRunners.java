package org.gsae.jobs;

import java.util.ArrayList;
import java.util.List;
import org.gsae.jobs.run.AnalyzeRunner;
import org.gsae.jobs.run.BenchRunner;
import org.gsae.jobs.run.DemoRunner;
import org.gsae.jobs.run.EncodeRunner;
import org.gsae.jobs.run.EvaluateRunner;
import org.gsae.jobs.run.HarvestRunner;
import org.gsae.jobs.run.ImportIdxRunner;
import org.gsae.jobs.run.Report;
import org.gsae.jobs.run.ReportRunner;
import org.gsae.jobs.run.RunnerProvider;
import org.gsae.jobs.run.ShuffleRunner;
import org.gsae.jobs.run.TrainRunner;

/**
 * Runners for tests: each records what it was given and then either returns a report or
 * throws {@link #failWith}. {@link #obtained} counts runner look-ups, which must not happen
 * for an invocation that fails validation.
 */
final class FakeRunners implements RunnerProvider {
  final List<Object> received = new ArrayList<>();
  int obtained;
  Throwable failWith;

  private Report answer(String command, Object input) {
    received.add(input);
    if (failWith instanceof Error e) {
      throw e;
    }
    if (failWith instanceof RuntimeException r) {
      throw r;
    }
    return Report.of(command + ": done").with("input", input.getClass().getSimpleName());
  }

  @Override
  public TrainRunner train() {
    obtained++;
    return cfg -> answer("train", cfg);
  }

  @Override
  public DemoRunner demo() {
    obtained++;
    return o -> answer("demo", o);
  }

  @Override
  public AnalyzeRunner analyze() {
    obtained++;
    return o -> answer("analyze", o);
  }

  @Override
  public EncodeRunner encode() {
    obtained++;
    return o -> answer("encode", o);
  }

  @Override
  public BenchRunner bench() {
    obtained++;
    return o -> answer("bench", o);
  }

  @Override
  public ShuffleRunner shuffle() {
    obtained++;
    return o -> answer("shuffle", o);
  }

  @Override
  public ReportRunner report() {
    obtained++;
    return o -> answer("report", o);
  }

  @Override
  public ImportIdxRunner importIdx() {
    obtained++;
    return o -> answer("import-idx", o);
  }

  @Override
  public HarvestRunner harvest() {
    obtained++;
    return o -> answer("harvest", o);
  }

  @Override
  public EvaluateRunner evaluate() {
    obtained++;
    return o -> answer("evaluate", o);
  }
}
