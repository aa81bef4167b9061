package org.gsae.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.gsae.core.data.ActivationDataset;
import org.gsae.core.model.GatedSae;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.Variant;
import org.junit.jupiter.api.Test;

/** Learning-rate and lambda schedules, hand-worked. */
class SchedulesTest {
  private static TrainConfig cfg(long steps, long warm, LrSchedule sched, long lambdaWarm) {
    return new TrainConfig(Variant.PAPER, steps, 8, 1e-3, warm, sched, 0.1, 2.0, lambdaWarm, 1.0,
        0.0, 0.999, 1e-8, 1.0, 1, true, 0, 1);
  }

  @Test
  void givenWarmupThenConstant_thenLinearRampToPeak() {
    TrainConfig c = cfg(100, 4, LrSchedule.CONSTANT, 0);
    // t = 0..3: lr * (t+1)/4
    assertEquals(0.25e-3, Schedules.learningRate(c, 0), 1e-15);
    assertEquals(0.75e-3, Schedules.learningRate(c, 2), 1e-15);
    assertEquals(1e-3, Schedules.learningRate(c, 3), 1e-15);
    assertEquals(1e-3, Schedules.learningRate(c, 99), 1e-15);
  }

  @Test
  void givenCosine_thenPeakAfterWarmupHalfwayMidpointAndFloorAtTheLastStep() {
    TrainConfig c = cfg(11, 1, LrSchedule.COSINE, 0);
    // decay over steps t = 1..10 (10 - 1 = 9 intervals after warm-up): end = 1e-4
    assertEquals(1e-3, Schedules.learningRate(c, 1), 1e-15);
    // t = 1 + 9/2 is not an integer; at t = 4 the progress is 3/9: 1e-4 + 0.9e-3 * (1 + cos(pi/3)) / 2
    assertEquals(1e-4 + 0.9e-3 * 0.75, Schedules.learningRate(c, 4), 1e-15);
    assertEquals(1e-4, Schedules.learningRate(c, 10), 1e-15);
  }

  /**
   * The documented rule, seen where a user sees it (the per-step metrics): with W = 4 the
   * first step already runs at lr / 4 and lambda / 4 (not 0), the fourth at the full values.
   */
  @Test
  void givenWarmups_whenTraining_thenTheStepsRecordLrAndLambdaRisingFromAQuarter() {
    TrainConfig c = cfg(6, 4, LrSchedule.CONSTANT, 4);
    GatedSae sae = new GatedSae(SaeInit.initialize(4, 8, 1, null), 2.0);
    float[] rows = new float[32 * 4];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = (float) Math.sin(i);
    }
    List<StepMetrics> steps = new SaeTrainer(sae, c).train(new ActivationDataset(rows, 4), 6, m -> { })
        .steps();
    double[] fraction = {0.25, 0.5, 0.75, 1, 1, 1};
    for (int t = 0; t < 6; t++) {
      assertEquals(1e-3 * fraction[t], steps.get(t).lr(), 1e-15, "lr of step " + (t + 1));
      assertEquals(2.0 * fraction[t], steps.get(t).lambda(), 1e-15, "lambda of step " + (t + 1));
    }
  }

  @Test
  void givenLambdaWarmup_thenModelLambdaRampsAndSetLambdaTakesEffect() {
    TrainConfig c = cfg(100, 0, LrSchedule.CONSTANT, 4);
    GatedSae sae = new GatedSae(SaeInit.initialize(4, 8, 1, null), 0.5);
    SaeTrainer t = new SaeTrainer(sae, c);            // sets the model's lambda to the config's 2.0
    assertEquals(2.0, sae.sparsityCoefficient());
    assertEquals(0.5, t.lambdaAt(0), 1e-15);          // 2.0 * 1/4
    assertEquals(2.0, t.lambdaAt(3), 1e-15);
    sae.setLambda(4.0);
    assertEquals(2.0, t.lambdaAt(1), 1e-15);          // 4.0 * 2/4
    assertEquals(4.0, t.lambdaAt(50), 1e-15);
  }
}
