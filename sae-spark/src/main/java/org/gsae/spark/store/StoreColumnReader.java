package org.gsae.spark.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;

/**
 * Reads the activation column of the store's rows {@code [start, end)} (by {@code row_id})
 * straight from its Parquet files with parquet-mr's file reader and page decoders: only that
 * column's pages are read and decompressed, a row group is entered at the page holding the
 * first wanted row when the file has Parquet's page index, values go from the decoded pages
 * into one reused row buffer, and rows come out in {@code row_id} order. Each row is checked
 * as {@link ActivationDecoder} checks Spark's rows, with the same messages.
 *
 * <p>Why not Spark's scan: Spark turns every row into an {@code InternalRow} and then an
 * array object, its partitions follow file splits rather than {@code row_id} ranges (so
 * store order took a shuffle), and the measured rate through it was 67-107 MB/s per core;
 * this reader packs 156-232 (docs/performance.md, 2026-12-07).
 *
 * <p>Levels: the Parquet definition level of a value says how deep its path is defined, so
 * for each leaf this class knows, from the file's schema, below which level the column (or
 * the vector) is null, the list is empty, or the element is null. Any LIST layout Parquet
 * writers use (three-level, two-level, required or optional elements) reads alike.
 *
 * <p>Not thread-safe; one per task. Use: {@code while (next()) { rowId(); problem() or
 * values()/width() }}.
 */
final class StoreColumnReader implements AutoCloseable {
  private static final String[] VECTOR_FIELDS = {"type", "size", "indices", "values"};
  private static final int SPARSE = 0;
  private static final int DENSE = 1;

  private final FileTable files;
  private final Configuration conf;
  private final String column;
  private final ActivationType type;
  private final long end;
  private final ActivationDecoder checks;
  private final boolean usePageIndex;

  private int file;
  private ParquetFileReader reader;
  private List<BlockMetaData> groups;
  private MessageType projection;
  private int group;
  private long groupStart;
  private long groupRowsLeft;
  private ParquetLeaf[] leaves;

  private long nextRowId;
  private long rowId = -1;
  private boolean valid;
  private float[] values = new float[1024];
  private double[] doubles;
  private int[] indices;
  private int width;

  /**
   * @param files  the store's files
   * @param conf   Hadoop configuration for opening them
   * @param column the activation column
   * @param type   its type, as the store's schema gives it
   * @param start  the first {@code row_id} to read
   * @param end    one past the last
   */
  StoreColumnReader(FileTable files, Configuration conf, String column, ActivationType type,
      long start, long end) {
    this(files, conf, column, type, start, end, true);
  }

  /** As above; {@code usePageIndex} false skips rows record by record (for tests). */
  StoreColumnReader(FileTable files, Configuration conf, String column, ActivationType type,
      long start, long end, boolean usePageIndex) {
    if (start < 0 || end < start || end > files.totalRows()) {
      throw new IllegalArgumentException("rows [" + start + ", " + end + ") outside the store's [0, "
          + files.totalRows() + ")");
    }
    this.files = files;
    this.conf = conf;
    this.column = column;
    this.type = type;
    this.end = end;
    this.usePageIndex = usePageIndex;
    this.checks = new ActivationDecoder(type, column);
    this.nextRowId = start;
    this.file = start < end ? files.fileOf(start) : files.files();
    if (type != ActivationType.FLOAT_ARRAY) {
      doubles = new double[1024];
    }
    if (type == ActivationType.ML_VECTOR) {
      indices = new int[1024];
    }
  }

  /** Moves to the next row; false when the range is done. */
  boolean next() {
    if (nextRowId >= end) {
      return false;
    }
    try {
      while (groupRowsLeft == 0) {
        openGroup();
      }
      rowId = nextRowId;
      valid = type == ActivationType.ML_VECTOR ? readVector() : readArray();
      groupRowsLeft--;
      nextRowId++;
      return true;
    } catch (GsaeException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(failure(e), e);
    } catch (RuntimeException e) { // parquet-mr's decoding errors are unchecked
      throw new IllegalStateException(failure(e), e);
    }
  }

  /**
   * A failure to read or decode the current file, phrased as Spark phrases its own ("... while
   * reading file F"), so {@link TaskFailures} tells a damaged file (exit 3) from a failing disk.
   */
  private String failure(Exception e) {
    return "error while reading file " + files.path(Math.min(file, files.files() - 1))
        + " (row_id " + nextRowId + "): " + e;
  }

  /** The current row's {@code row_id}. */
  long rowId() {
    return rowId;
  }

  /** Why the current row is invalid, or null when it is valid. */
  String problem() {
    return valid ? null : checks.problem();
  }

  /** The current row's values, {@code [0, width())} of a reused buffer; valid rows only. */
  float[] values() {
    return values;
  }

  /** The current row's width; valid rows only. */
  int width() {
    return width;
  }

  @Override
  public void close() {
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        reader = null;
      }
    }
  }

  // ---- files and row groups ----

  /**
   * Opens the row group holding {@code nextRowId}, skipping whole groups and files before it.
   * Inside the group, rows before {@code nextRowId} are skipped by whole pages when the file
   * has Parquet's page index (parquet-mr writes one by default), else record by record.
   */
  private void openGroup() throws IOException {
    if (reader == null) {
      openFile();
    }
    while (group < groups.size()) {
      long rows = groups.get(group).getRowCount();
      if (groupStart + rows > nextRowId) {
        PageReadStore pages = null;
        OffsetIndex pageIndex = usePageIndex && nextRowId > groupStart ? pageIndex() : null;
        if (pageIndex != null) {
          int page = pageIndex.getPageCount() - 1;
          while (page > 0 && groupStart + pageIndex.getFirstRowIndex(page) > nextRowId) {
            page--;
          }
          if (page > 0) {
            pages = reader.readFilteredRowGroup(group, RowRanges.create(rows,
                IntStream.range(page, pageIndex.getPageCount()).iterator(), pageIndex));
          }
        }
        if (pages == null) {
          pages = reader.readRowGroup(group);
        }
        List<ColumnDescriptor> columns = projection.getColumns();
        leaves = new ParquetLeaf[columns.size()];
        for (int i = 0; i < leaves.length; i++) {
          ParquetLeaf leaf = new ParquetLeaf(pages.getPageReader(columns.get(i)), columns.get(i), projection);
          for (long skip = nextRowId - groupStart - leaf.firstRow(); skip > 0; skip--) {
            leaf.skipRecord();
          }
          leaves[i] = leaf;
        }
        groupRowsLeft = groupStart + rows - nextRowId;
        group++;
        groupStart += rows;
        return;
      }
      group++;
      groupStart += rows;
    }
    close();
    file++;
  }

  /**
   * The page index of the current group's first projected column, or null when any projected
   * column has none (then pages cannot be skipped consistently).
   */
  private OffsetIndex pageIndex() throws IOException {
    OffsetIndex first = null;
    for (ColumnDescriptor leaf : projection.getColumns()) {
      ColumnPath path = ColumnPath.get(leaf.getPath());
      OffsetIndex index = null;
      for (ColumnChunkMetaData chunk : groups.get(group).getColumns()) {
        if (chunk.getPath().equals(path)) {
          index = reader.readOffsetIndex(chunk);
        }
      }
      if (index == null) {
        return null;
      }
      first = first == null ? index : first;
    }
    return first;
  }

  private void openFile() throws IOException {
    if (file >= files.files()) {
      throw new IllegalStateException("row " + nextRowId + " past the last file");
    }
    String path = files.path(file);
    reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(path), conf));
    groups = reader.getRowGroups();
    long rows = 0;
    for (BlockMetaData g : groups) {
      rows += g.getRowCount();
    }
    if (rows != files.rows(file)) {
      throw Errors.invalidInput("the file has " + rows + " rows but had " + files.rows(file)
          + " when the store was opened", path,
          "do not rewrite the input while a job reads it; rerun the job");
    }
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    if (!schema.containsField(column)) {
      throw Errors.invalidInput("the file has no column '" + column + "'", path,
          "do not rewrite the input while a job reads it; rerun the job");
    }
    projection = new MessageType(schema.getName(), schema.getType(column));
    checkLeaves(projection, path);
    reader.setRequestedSchema(projection);
    group = 0;
    groupStart = files.firstRowId(file);
  }

  /** The column's Parquet leaves are what its Spark type says (checked once per file). */
  private void checkLeaves(MessageType projection, String path) {
    List<ColumnDescriptor> leaves = projection.getColumns();
    boolean ok = switch (type) {
      case FLOAT_ARRAY -> leaves.size() == 1 && isList(leaves.get(0), PrimitiveTypeName.FLOAT);
      case DOUBLE_ARRAY -> leaves.size() == 1 && isList(leaves.get(0), PrimitiveTypeName.DOUBLE);
      case ML_VECTOR -> leaves.size() == 4
          && leaves.get(0).getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32
          && leaves.get(1).getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32
          && isList(leaves.get(2), PrimitiveTypeName.INT32)
          && isList(leaves.get(3), PrimitiveTypeName.DOUBLE)
          && Arrays.equals(fieldNames(leaves), VECTOR_FIELDS);
    };
    if (!ok) {
      throw Errors.invalidInput("column '" + column + "' is stored as " + projection.getType(0)
          .toString().replace('\n', ' ') + ", not the Parquet layout of " + type, path,
          "rewrite the column as array<float> (for example with Spark)");
    }
  }

  private static boolean isList(ColumnDescriptor leaf, PrimitiveTypeName element) {
    return leaf.getMaxRepetitionLevel() == 1
        && leaf.getPrimitiveType().getPrimitiveTypeName() == element;
  }

  private static String[] fieldNames(List<ColumnDescriptor> leaves) {
    String[] names = new String[leaves.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = leaves.get(i).getPath().length > 1 ? leaves.get(i).getPath()[1] : "";
    }
    return names;
  }

  // ---- records ----

  /** One {@code array<float>} or {@code array<double>} record. */
  private boolean readArray() {
    ParquetLeaf leaf = leaves[0];
    int n = leaf.readList(this);
    if (n == ParquetLeaf.NULL) {
      return checks.rejectNull();
    }
    if (n == 0) {
      return checks.rejectEmpty();
    }
    if (leaf.nullElement >= 0) {
      return checks.rejectNullElement(leaf.nullElement);
    }
    width = n;
    return type == ActivationType.FLOAT_ARRAY ? checks.acceptFloats(values, n)
        : checks.acceptDoubles(doubles, n, floats(n));
  }

  /**
   * One ML {@code Vector} record (Spark's VectorUDT layout: {@code type} 0 sparse or 1 dense,
   * {@code size}, {@code indices}, {@code values}); a sparse vector is expanded.
   */
  private boolean readVector() {
    ParquetLeaf typeLeaf = leaves[0];
    if (typeLeaf.isNull()) {
      for (ParquetLeaf leaf : leaves) {
        leaf.skipRecord();
      }
      return checks.rejectNull();
    }
    int kind = typeLeaf.readInt();
    int size = leaves[1].readInt();
    int nIndices = leaves[2].readList(this);
    int n = leaves[3].readList(this);
    if (kind == DENSE && n > 0) {
      if (leaves[3].nullElement >= 0) {
        return checks.rejectNullElement(leaves[3].nullElement);
      }
      width = n;
      return checks.acceptDoubles(doubles, n, floats(n));
    }
    if (kind == DENSE && n == 0 || kind == SPARSE && size == 0) {
      return checks.rejectEmpty();
    }
    if (kind != SPARSE || size == ParquetLeaf.NULL || size < 0 || n == ParquetLeaf.NULL
        || nIndices != n || leaves[3].nullElement >= 0 || leaves[2].nullElement >= 0) {
      return checks.rejectBecause("is not a valid ML vector (type " + (kind == ParquetLeaf.NULL ? "null"
          : kind) + ", size " + (size == ParquetLeaf.NULL ? "null" : size) + ", "
          + (nIndices == ParquetLeaf.NULL ? "no" : nIndices) + " indices, "
          + (n == ParquetLeaf.NULL ? "no" : n) + " values)");
    }
    for (int k = 0; k < n; k++) {
      if (indices[k] < 0 || indices[k] >= size) {
        return checks.rejectBecause("is a sparse vector of size " + size + " with index "
            + indices[k] + " (position " + k + "), outside [0, " + size + ")");
      }
    }
    if (doubles.length < size) {
      doubles = new double[size];
    }
    double[] dense = Arrays.copyOf(doubles, n); // the values, before expanding in place
    Arrays.fill(doubles, 0, size, 0.0);
    for (int k = 0; k < n; k++) {
      doubles[indices[k]] = dense[k];
    }
    width = size;
    return checks.acceptDoubles(doubles, size, floats(size));
  }

  /** The float32 row buffer with room for {@code n}. */
  private float[] floats(int n) {
    return (float[]) buffer(PrimitiveTypeName.FLOAT, n);
  }

  /**
   * The row buffer for list values of Parquet type {@code type} ({@code values},
   * {@code doubles} or {@code indices}) with room for {@code n}, keeping what it holds; a
   * {@link ParquetLeaf} copies a list record into it.
   */
  Object buffer(PrimitiveTypeName type, int n) {
    switch (type) {
      case FLOAT -> {
        if (values.length < n) {
          values = Arrays.copyOf(values, Math.max(n, 2 * values.length));
        }
        return values;
      }
      case DOUBLE -> {
        if (doubles.length < n) {
          doubles = Arrays.copyOf(doubles, Math.max(n, 2 * doubles.length));
        }
        return doubles;
      }
      default -> {
        if (indices.length < n) {
          indices = Arrays.copyOf(indices, Math.max(n, 2 * indices.length));
        }
        return indices;
      }
    }
  }
}
