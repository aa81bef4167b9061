package org.gsae.spark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows are runs of whole consecutive files within a byte budget; hand-worked cases. */
class StoreWindowTest {
  private static final FileTable FILES = new FileTable(
      List.of("a", "b", "c", "d", "e"), new long[] {10, 0, 30, 5, 7});
  private static final long[] BYTES = {100, 1, 300, 50, 70};

  @Test
  void givenABudget_thenConsecutiveFilesUpToItEachWindow() {
    List<StoreWindow> w = StoreWindow.cut(FILES, BYTES, 120);
    // a+b = 101; c alone (300 > 120); d+e = 120
    assertEquals(List.of(
        new StoreWindow(0, 0, 2, 0, 10, 101),
        new StoreWindow(1, 2, 3, 10, 30, 300),
        new StoreWindow(2, 3, 5, 40, 12, 120)), w);
  }

  @Test
  void givenABudgetOfTheStoreOrMore_thenOneWindow() {
    assertEquals(List.of(new StoreWindow(0, 0, 5, 0, 52, 521)), StoreWindow.cut(FILES, BYTES, 521));
    assertEquals(1, StoreWindow.cut(FILES, BYTES, Long.MAX_VALUE).size());
  }

  @Test
  void givenOneByte_thenAWindowPerFile() {
    List<StoreWindow> w = StoreWindow.cut(FILES, BYTES, 1);
    assertEquals(5, w.size());
    assertEquals(new StoreWindow(1, 1, 2, 10, 0, 1), w.get(1));   // an empty file: no rows
    assertEquals(new StoreWindow(4, 4, 5, 45, 7, 70), w.get(4));
  }

  @Test
  void givenABadBudgetOrSizes_thenRefused() {
    assertThrows(IllegalArgumentException.class, () -> StoreWindow.cut(FILES, BYTES, 0));
    assertThrows(IllegalArgumentException.class, () -> StoreWindow.cut(FILES, new long[2], 10));
  }
}
