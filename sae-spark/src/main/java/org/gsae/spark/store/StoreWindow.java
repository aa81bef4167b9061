package org.gsae.spark.store;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A window of the store (docs/architecture.md §4): the consecutive files
 * {@code [firstFile, endFile)} in store order, holding {@code row_id}s
 * {@code [firstRow, firstRow + rows)}. Training reads, packs and releases the store window by
 * window, so executor memory holds a few windows, not the store.
 *
 * @param index     the window's number, in store order
 * @param firstFile the first file (index in the {@link FileTable})
 * @param endFile   one past the last file
 * @param firstRow  the {@code row_id} of the first row
 * @param rows      rows in the window's files, valid or not
 * @param bytes     the files' total size on storage
 */
public record StoreWindow(int index, int firstFile, int endFile, long firstRow, long rows,
    long bytes) implements Serializable {

  /**
   * Cuts the store into windows of consecutive files of at most {@code budget} bytes each (a
   * file larger than the budget is a window on its own): a pure function of the listing and
   * the budget. A budget of at least the store's size gives one window.
   *
   * @param bytes each file's size, {@code [files]}
   */
  public static List<StoreWindow> cut(FileTable files, long[] bytes, long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("window budget must be >= 1 byte, got " + budget);
    }
    if (bytes.length != files.files()) {
      throw new IllegalArgumentException(bytes.length + " sizes for " + files.files() + " files");
    }
    List<StoreWindow> out = new ArrayList<>();
    int first = 0;
    long size = 0;
    for (int f = 0; f < files.files(); f++) {
      if (f > first && size + bytes[f] > budget) {
        out.add(of(out.size(), files, first, f, size));
        first = f;
        size = 0;
      }
      size += bytes[f];
    }
    out.add(of(out.size(), files, first, files.files(), size));
    return List.copyOf(out);
  }

  private static StoreWindow of(int index, FileTable files, int first, int end, long size) {
    long firstRow = files.firstRowId(first);
    long endRow = end == files.files() ? files.totalRows() : files.firstRowId(end);
    return new StoreWindow(index, first, end, firstRow, endRow - firstRow, size);
  }

  /** "window 3 (files 12-15 of 40, 2.1e6 rows)", for logs and messages. */
  public String describe(int windows, int files) {
    return "window " + index + " of " + windows + " (files " + firstFile + "-" + (endFile - 1)
        + " of " + files + ", " + rows + " rows)";
  }
}
