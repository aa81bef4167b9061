package org.gsae.spark.store;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.Errors;

/**
 * The store's files in {@code row_id} order with their row counts: {@code row_id} = rows in
 * all earlier files + row index within the file. Shipped to executors (broadcast) to number
 * rows and to name the file and row of an invalid value.
 */
public final class FileTable implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] paths;
  private final long[] rows;
  private final long[] firstRowIds;
  private final long totalRows;
  /** Spark's spellings of file URIs -> file index; built lazily where the table is used. */
  private transient volatile Map<String, Integer> index;

  /**
   * @param paths file paths ({@link Path#toString()} form) in store order (sorted by path)
   * @param rows  row count of each file, {@code [files]}
   */
  public FileTable(List<String> paths, long[] rows) {
    if (paths.size() != rows.length) {
      throw new IllegalArgumentException(paths.size() + " paths but " + rows.length + " row counts");
    }
    this.paths = paths.toArray(new String[0]);
    this.rows = rows.clone();
    this.firstRowIds = new long[rows.length];
    long total = 0;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] < 0) {
        throw new IllegalArgumentException("negative row count " + rows[i] + " for " + paths.get(i));
      }
      firstRowIds[i] = total;
      total = Math.addExact(total, rows[i]);
    }
    this.totalRows = total;
  }

  /** Number of files. */
  public int files() {
    return paths.length;
  }

  /** Path of file {@code i} as Hadoop prints it ({@link Path#toString()}: not URI-encoded). */
  public String path(int i) {
    return paths[i];
  }

  /** Row count of file {@code i}. */
  public long rows(int i) {
    return rows[i];
  }

  /** The {@code row_id} of the first row of file {@code i}. */
  public long firstRowId(int i) {
    return firstRowIds[i];
  }

  /** Rows in all files. */
  public long totalRows() {
    return totalRows;
  }

  /**
   * The {@code row_id} of row {@code rowIndex} of the file that Spark reports as
   * {@code filePath} ({@code _metadata.file_path}).
   *
   * @throws IllegalStateException when the file is not part of the store (an internal error)
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT when the file has more rows than
   *     when the store was opened (it was rewritten)
   */
  public long rowId(String filePath, long rowIndex) {
    int i = indexOf(filePath);
    if (rowIndex < 0 || rowIndex >= rows[i]) {
      throw Errors.invalidInput("Spark read row " + rowIndex + " but the file's footer had "
          + rows[i] + " rows when the store was opened", paths[i],
          "do not rewrite the input while a job reads it; rerun the job");
    }
    return firstRowIds[i] + rowIndex;
  }

  /**
   * The index of the file that Spark reports as {@code filePath}, however its URI is spelled
   * ({@code file:/x} and {@code file:///x} are the same file).
   *
   * @throws IllegalStateException when the file is not part of the store (an internal error)
   */
  public int indexOf(String filePath) {
    Map<String, Integer> known = index;
    if (known == null) {
      known = new ConcurrentHashMap<>();
      for (int i = 0; i < paths.length; i++) {
        known.put(canonical(new Path(paths[i])), i);
      }
      index = known;
    }
    Integer i = known.get(filePath);
    if (i == null) {
      i = known.get(canonical(new Path(URI.create(filePath))));
      if (i == null) {
        throw new IllegalStateException("Spark read file " + filePath + " which is not one of the "
            + paths.length + " store files (" + paths[0] + ", ...)");
      }
      known.put(filePath, i); // the next row of this file takes the fast path
    }
    return i;
  }

  /** A URI string that is the same for every spelling of a path's URI. */
  static String canonical(Path path) {
    URI u = path.toUri();
    String authority = u.getAuthority() == null || u.getAuthority().isEmpty() ? null : u.getAuthority();
    try {
      return new URI(u.getScheme(), authority, u.getPath(), u.getQuery(), u.getFragment()).toString();
    } catch (URISyntaxException e) {
      return u.toString();
    }
  }

  /** The index of the file holding {@code rowId}, in {@code [0, files)}. */
  public int fileOf(long rowId) {
    if (rowId < 0 || rowId >= totalRows) {
      throw new IndexOutOfBoundsException("row_id " + rowId + " outside [0, " + totalRows + ")");
    }
    // Greatest i with firstRowIds[i] <= rowId: empty files share their successor's first
    // row id and come before it, so this lands on the file that has the row.
    int lo = 0;
    int hi = firstRowIds.length - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (firstRowIds[mid] <= rowId) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** "row R of FILE, row_id ID": where a row is, for error messages. */
  public String describeRow(long rowId) {
    int f = fileOf(rowId);
    return "row " + (rowId - firstRowIds[f]) + " of " + paths[f] + ", row_id " + rowId;
  }

  @Override
  public String toString() {
    return "FileTable[files=" + paths.length + ", totalRows=" + totalRows
        + ", first=" + (paths.length == 0 ? "-" : paths[0]) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileTable t && Arrays.equals(paths, t.paths) && Arrays.equals(rows, t.rows);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(paths) + Arrays.hashCode(rows);
  }

  /**
   * A stable digest of the store: each file's name and row count, and the width. A model
   * records the digest of its training store and an analysis the digest of the store it read,
   * so a summary shows whether a model was analysed on its training data.
   *
   * @return {@code "sha256:"} and 32 hex digits
   */
  public String fingerprint(int dIn) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(("d_in=" + dIn + "\n").getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < files(); i++) {
        String name = new Path(path(i)).getName();
        md.update((name + "\t" + rows(i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
