package org.gsae.spark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

class FileTableTest {
  // Files of 3, 0, 4, 0 rows: row ids 0-2 in a, 3-6 in c.
  private final FileTable table = new FileTable(
      List.of("file:/s/a.parquet", "file:/s/b.parquet", "file:/s/c dir/c.parquet",
          "file:/s/d.parquet"),
      new long[] {3, 0, 4, 0});

  @Test
  void givenRowIds_thenEachMapsToTheFileThatHoldsIt() {
    assertEquals(7, table.totalRows());
    int[] expected = {0, 0, 0, 2, 2, 2, 2};
    for (int r = 0; r < 7; r++) {
      assertEquals(expected[r], table.fileOf(r), "row " + r);
    }
    assertEquals("row 1 of file:/s/c dir/c.parquet, row_id 4", table.describeRow(4));
    assertThrows(IndexOutOfBoundsException.class, () -> table.fileOf(7));
  }

  @Test
  void givenSparkSpellingsOfAPath_thenRowIdIsOffsetPlusIndex() {
    assertEquals(2, table.rowId("file:/s/a.parquet", 2));
    assertEquals(5, table.rowId("file:///s/c%20dir/c.parquet", 2));
    assertEquals(3, table.rowId("file:/s/c%20dir/c.parquet", 0));
    assertThrows(IllegalStateException.class, () -> table.rowId("file:/s/zzz.parquet", 0));
    GsaeException grown = assertThrows(GsaeException.class,
        () -> table.rowId("file:/s/a.parquet", 3));
    assertEquals(ErrorCode.INVALID_INPUT, grown.code());
  }

  @Test
  void givenJavaSerialisation_thenTheTableStillResolvesPaths() throws Exception {
    table.rowId("file:/s/a.parquet", 0); // builds the lazy index before serialising
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(table);
    }
    FileTable copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (FileTable) in.readObject();
    }
    assertEquals(table, copy);
    assertEquals(6, copy.rowId("file:/s/c%20dir/c.parquet", 3));
  }
}
