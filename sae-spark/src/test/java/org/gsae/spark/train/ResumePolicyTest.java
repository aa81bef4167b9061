package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

/** The resume rule, key by key. */
class ResumePolicyTest {
  private static Map<String, Object> cfg(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train.lr", 3e-4);
    m.put("train.seed", 42);
    m.put("train.steps", 100);
    m.put("train.lr_schedule", "constant");
    m.put("train.log_every", 10);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyDefiningKeyIsRefusedWithBothValues() {
    for (String key : ResumePolicy.DEFINING) {
      GsaeException e = assertThrows(GsaeException.class,
          () -> ResumePolicy.check(cfg(key, "a"), cfg(key, "b"), 5, "ckpt"));
      assertEquals(ErrorCode.USAGE, e.code());
      assertTrue(e.getMessage().contains(key + " a -> b"), e.getMessage());
    }
  }

  @Test
  void givenACheckpointFromBeforeAKeyExisted_thenTheNewKeyIsRecordedNotRefused() {
    // input.window_bytes came with windowed reading; DataCursor.checkWindows checks its effect.
    Map<String, Object> now = ResumePolicy.check(cfg(), cfg("input.window_bytes", 0L), 5, "c");
    assertEquals(0L, now.get("input.window_bytes"));
    assertThrows(GsaeException.class, () -> ResumePolicy.check(cfg("input.window_bytes", 0L),
        cfg("input.window_bytes", 1L << 30), 5, "c"));
    assertThrows(GsaeException.class, () -> ResumePolicy.check(cfg("input.window_bytes", 0L),
        cfg(), 5, "c"));
  }

  @Test
  void executionKeysAndStepsUnderAConstantRateMayChangeAndAreRecorded() {
    Map<String, Object> first = ResumePolicy.check(cfg(), cfg("train.steps", 200, "train.log_every", 1), 100, "c");
    assertEquals(200, first.get("train.steps"));
    assertEquals(List.of(Map.of("at_step", 100L, "changed",
        Map.of("train.log_every", List.of(10, 1), "train.steps", List.of(100, 200)))),
        first.get(ResumePolicy.HISTORY));
    // A second resume keeps the first one's record and adds its own.
    Map<String, Object> second = ResumePolicy.check(first, cfg("train.steps", 300, "train.log_every", 1), 200, "c");
    assertEquals(2, ((List<?>) second.get(ResumePolicy.HISTORY)).size());
    // An unchanged resume adds nothing.
    assertEquals(cfg(), ResumePolicy.check(cfg(), cfg(), 100, "c"));
  }

  @Test
  void stepsUnderACosineScheduleDefineEveryRate() {
    String msg = assertThrows(GsaeException.class, () -> ResumePolicy.check(
        cfg("train.lr_schedule", "cosine"), cfg("train.lr_schedule", "cosine", "train.steps", 200), 100, "c"))
        .getMessage();
    assertTrue(msg.contains("train.steps 100 -> 200 (train.steps sets the cosine decay"), msg);
  }

  @Test
  void aCheckpointWithoutARecordedConfigIsNotCompared() {
    assertEquals(cfg(), ResumePolicy.check(Map.of(), cfg(), 100, "c"));
  }
}
