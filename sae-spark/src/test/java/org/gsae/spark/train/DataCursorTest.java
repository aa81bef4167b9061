package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.train.WindowPlan;
import org.junit.jupiter.api.Test;

/** The data cursor of trainer_state.json: its round trip, old checkpoints, changed stores. */
class DataCursorTest {

  @Test
  void givenACursor_thenTheJsonItWritesReadsBackThroughJson() throws Exception {
    DataCursor c = new DataCursor(new WindowPlan.Cursor(12_345_678_901L, 77), 3L << 30, 40);
    Map<String, Object> state = Map.of("data_cursor", c.toJson(9, 4096, true));
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> reread = json.readValue(json.writeValueAsBytes(state), Map.class);
    assertEquals(c, DataCursor.of(reread));
  }

  @Test
  void givenACheckpointFromBeforeWindows_thenOneWindowResumesAndMoreAreRefused() {
    DataCursor old = DataCursor.of(Map.of("data_cursor",
        Map.of("next_step", 10, "batch_size", 128, "shuffle", true)));
    assertNull(old.cursor());
    old.checkWindows(1, 1000, "ckpt");
    GsaeException e = assertThrows(GsaeException.class, () -> old.checkWindows(3, 1000, "ckpt"));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(e.getMessage().contains("input.window_bytes to at least the store's size (1000)"),
        e.getMessage());
  }

  @Test
  void givenFilesThatNowCutIntoOtherWindows_thenTheResumeIsRefused() {
    DataCursor c = new DataCursor(WindowPlan.Cursor.START, 500, 4);
    c.checkWindows(4, 2000, "ckpt");
    GsaeException e = assertThrows(GsaeException.class, () -> c.checkWindows(5, 2000, "ckpt"));
    assertTrue(e.getMessage().contains("4 windows of at most 500 bytes"), e.getMessage());
  }
}
