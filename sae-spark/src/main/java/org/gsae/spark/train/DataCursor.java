package org.gsae.spark.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gsae.core.error.Errors;
import org.gsae.core.train.WindowPlan;

/**
 * Where a checkpoint's run stands in the store ({@code data_cursor} in
 * {@code trainer_state.json}): the next step's {@link WindowPlan.Cursor} and the window budget
 * and count it was computed with. A resume cuts the store with the recorded budget (not the
 * one {@code input.window_bytes = 0} would size for today's executors), so its steps read the
 * rows an uninterrupted run would.
 *
 * @param cursor      the next step's cursor; null for a checkpoint written before windows
 *                    existed (one window, cursor computed from the step)
 * @param windowBytes the window budget in bytes; 0 when not recorded
 * @param windows     the number of windows; 0 when not recorded (then 1)
 */
record DataCursor(WindowPlan.Cursor cursor, long windowBytes, int windows) {

  /** The cursor recorded in a checkpoint's trainer state. */
  static DataCursor of(Map<String, Object> state) {
    Object c = state.get("data_cursor");
    if (!(c instanceof Map<?, ?> m) || !(m.get("visit") instanceof Number visit)) {
      return new DataCursor(null, 0, 0);
    }
    return new DataCursor(new WindowPlan.Cursor(visit.longValue(), number(m, "offset")),
        number(m, "window_bytes"), (int) number(m, "windows"));
  }

  private static long number(Map<?, ?> m, String key) {
    return m.get(key) instanceof Number n ? n.longValue() : 0;
  }

  /** The JSON object written into {@code trainer_state.json}. */
  Map<String, Object> toJson(long nextStep, int batchSize, boolean shuffle) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("next_step", nextStep);
    m.put("batch_size", batchSize);
    m.put("shuffle", shuffle);
    m.put("visit", cursor.visit());
    m.put("offset", cursor.offset());
    m.put("window_bytes", windowBytes);
    m.put("windows", windows);
    return m;
  }

  /**
   * Checks that the store cuts into the windows the checkpoint read.
   *
   * @param now        windows of the store under the recorded budget (or, for an old
   *                   checkpoint, under this run's)
   * @param storeBytes the store's size, for the fix
   */
  void checkWindows(int now, long storeBytes, String where) {
    if (windows == 0 && now != 1) {
      throw Errors.usage("the checkpoint to resume read the store as one window, but this run "
          + "cuts it into " + now + " windows (input.window_bytes)", where,
          "set input.window_bytes to at least the store's size (" + storeBytes + ") to resume "
              + "it, or use a new output.path");
    }
    if (windows > 0 && windows != now) {
      throw Errors.usage("the checkpoint to resume read the store in " + windows + " windows of at "
          + "most " + windowBytes + " bytes, but the store's files now cut into " + now
          + " windows (the files' sizes changed)", where,
          "resume on the store the checkpoint was trained on, or use a new output.path");
    }
  }
}
