package org.gsae.spark.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One leaf column of a row group that a {@link StoreColumnReader} reads, decoded a page at a time with parquet-mr's
 * decoders: the page's repetition and definition levels into two {@code int} arrays, its
 * defined values into one primitive array (PLAIN values, the common case, are copied in
 * bulk from the page's bytes; dictionary and other encodings go through parquet-mr's value
 * readers). Walking records is then plain array reads, which is what makes this reader fast:
 * parquet-mr's per-value {@code ColumnReader} costs about 20 ns per value (measured,
 * docs/performance.md).
 *
 * <p>Levels: below {@link #presentDef} the list (or the column or vector above it) is null,
 * below {@link #listDef} it is empty, below {@link #maxDef} the element is null; for a leaf
 * with no list, below {@link #maxDef} the value is null. A record ends where the next entry
 * has repetition level 0, or at the end of the column chunk.
 */
final class ParquetLeaf {
  static final int NULL = -1;

  private final PageReader pages;
  private final ColumnDescriptor column;
  private final Dictionary dictionary;
  private final int presentDef;
  private final int listDef;
  private final int maxDef;
  /** The row (in the row group) of the first page's first record. */
  private final long firstRow;
  private int[] reps = new int[0];
  private int[] defs = new int[0];
  /** The page's defined values: {@code float[]}, {@code double[]} or {@code int[]}. */
  private Object pageValues;
  private int entries;
  private int pos;
  private int value;
  private boolean exhausted;
  /** The first null element of the last list read, or -1. */
  int nullElement = -1;

  ParquetLeaf(PageReader pages, ColumnDescriptor column, MessageType schema) throws IOException {
    this.pages = pages;
    this.column = column;
    String[] path = column.getPath();
    int def = 0;
    int beforeRepeated = -1;
    int atRepeated = -1;
    int top = -1;
    Type t = schema;
    for (int i = 0; i < path.length; i++) {
      t = ((GroupType) t).getType(path[i]);
      if (t.isRepetition(Type.Repetition.REPEATED)) {
        beforeRepeated = def;
        def++;
        atRepeated = def;
      } else if (t.isRepetition(Type.Repetition.OPTIONAL)) {
        def++;
      }
      if (i == 0) {
        top = def;
      }
    }
    this.maxDef = column.getMaxDefinitionLevel();
    this.presentDef = atRepeated < 0 ? top : beforeRepeated;
    this.listDef = atRepeated < 0 ? maxDef : atRepeated;
    DictionaryPage dict = pages.readDictionaryPage();
    this.dictionary = dict == null ? null : dict.getEncoding().initDictionary(column, dict);
    DataPage first = pages.readPage();
    this.firstRow = first == null ? 0 : first.getFirstRowIndex().orElse(0L);
    load(first);
  }

  /** The row, within the row group, of the first record this leaf holds. */
  long firstRow() {
    return firstRow;
  }

  /** Whether the current record is null (its column, or the struct above the leaf). */
  boolean isNull() {
    return defs[pos] < presentDef;
  }

  /** A scalar record (an {@code int}), or {@link #NULL}. */
  int readInt() {
    int v = defs[pos] == maxDef ? ((int[]) pageValues)[value] : NULL;
    consume();
    return v;
  }

  /**
   * One list record: its length (elements, null ones included), or {@link #NULL}. The
   * defined values are copied, a run per page, into the reader's buffer of this leaf's type
   * ({@code values}, {@code doubles} or {@code indices}); after a null element they are no
   * longer at their element's position, which does not matter as such a row is rejected.
   */
  int readList(StoreColumnReader r) {
    int def = defs[pos];
    if (def < listDef) {
      consume();
      return def < presentDef ? NULL : 0;
    }
    nullElement = -1;
    int n = 0;
    do {
      int first = pos;
      int firstValue = value;
      do {
        if (defs[pos] == maxDef) {
          value++;
        } else if (nullElement < 0) {
          nullElement = n + pos - first;
        }
        pos++;
      } while (pos < entries && reps[pos] != 0);
      Object buffer = r.buffer(column.getPrimitiveType().getPrimitiveTypeName(),
          n + pos - first);
      System.arraycopy(pageValues, firstValue, buffer, n, value - firstValue);
      n += pos - first;
      if (pos == entries) {
        load(pages.readPage());
      }
    } while (!exhausted && reps[pos] != 0);
    return n;
  }

  /** Skips the current record. */
  void skipRecord() {
    do {
      consume();
    } while (!exhausted && reps[pos] != 0);
  }

  private void consume() {
    if (defs[pos] == maxDef) {
      value++;
    }
    advance();
  }

  /** Moves to the next entry, reading the next page at the end of this one. */
  private void advance() {
    if (++pos == entries) {
      load(pages.readPage());
    }
  }

  /** Decodes {@code page} (null: the chunk is done) and positions at its first entry. */
  private void load(DataPage page) {
    pos = 0;
    value = 0;
    if (page == null) {
      exhausted = true;
      entries = 0;
      reps = defs = new int[] {0};  // what the record loops see past the end
      return;
    }
    try {
      entries = page.getValueCount();
      if (reps.length < entries) {
        reps = new int[entries];
        defs = new int[entries];
      }
      int defined;
      if (page instanceof DataPageV1 v1) {
        ByteBufferInputStream in = v1.getBytes().toInputStream();
        levels(v1.getRlEncoding().getValuesReader(column, ValuesType.REPETITION_LEVEL), in, reps);
        defined = levels(v1.getDlEncoding().getValuesReader(column,
            ValuesType.DEFINITION_LEVEL), in, defs);
        values(v1.getValueEncoding(), in, defined);
      } else {
        DataPageV2 v2 = (DataPageV2) page;
        levels(column.getMaxRepetitionLevel(), v2.getRepetitionLevels(), reps);
        defined = levels(maxDef, v2.getDefinitionLevels(), defs);
        values(v2.getDataEncoding(), v2.getData().toInputStream(), defined);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("decoding a page of " + column + ": " + e, e);
    }
    if (entries == 0) {
      load(pages.readPage());
    }
  }

  /** V1 levels of {@link #entries} entries into {@code out}; returns how many equal maxDef. */
  private int levels(ValuesReader reader, ByteBufferInputStream in, int[] out)
      throws IOException {
    reader.initFromPage(entries, in);
    int atMax = 0;
    for (int i = 0; i < entries; i++) {
      out[i] = reader.readInteger();
      atMax += out[i] == maxDef ? 1 : 0;
    }
    return atMax;
  }

  /** V2 levels (RLE without a length prefix); returns how many equal maxDef. */
  private int levels(int maxLevel, BytesInput bytes, int[] out) throws IOException {
    if (maxLevel == 0) {
      Arrays.fill(out, 0, entries, 0);
      return maxDef == 0 ? entries : 0;
    }
    RunLengthBitPackingHybridDecoder decoder = new RunLengthBitPackingHybridDecoder(
        BytesUtils.getWidthFromMaxInt(maxLevel), bytes.toInputStream());
    int atMax = 0;
    for (int i = 0; i < entries; i++) {
      out[i] = decoder.readInt();
      atMax += out[i] == maxDef ? 1 : 0;
    }
    return atMax;
  }

  /** The page's {@code defined} values into the primitive array of the column's type. */
  private void values(Encoding encoding, ByteBufferInputStream in, int defined)
      throws IOException {
    PrimitiveTypeName type = column.getPrimitiveType().getPrimitiveTypeName();
    if (encoding == Encoding.PLAIN) {
      ByteBuffer bytes = in.slice(defined * (type == PrimitiveTypeName.DOUBLE ? 8 : 4))
          .order(ByteOrder.LITTLE_ENDIAN);
      switch (type) {
        case FLOAT -> bytes.asFloatBuffer().get(floats(defined), 0, defined);
        case DOUBLE -> bytes.asDoubleBuffer().get(doubles(defined), 0, defined);
        default -> bytes.asIntBuffer().get(ints(defined), 0, defined);
      }
      return;
    }
    ValuesReader reader = encoding.usesDictionary()
        ? encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, dictionary)
        : encoding.getValuesReader(column, ValuesType.VALUES);
    reader.initFromPage(defined, in);
    switch (type) {
      case FLOAT -> {
        float[] out = floats(defined);
        for (int i = 0; i < defined; i++) {
          out[i] = reader.readFloat();
        }
      }
      case DOUBLE -> {
        double[] out = doubles(defined);
        for (int i = 0; i < defined; i++) {
          out[i] = reader.readDouble();
        }
      }
      default -> {
        int[] out = ints(defined);
        for (int i = 0; i < defined; i++) {
          out[i] = reader.readInteger();
        }
      }
    }
  }

  private float[] floats(int n) {
    if (!(pageValues instanceof float[] a && a.length >= n)) {
      pageValues = new float[n];
    }
    return (float[]) pageValues;
  }

  private double[] doubles(int n) {
    if (!(pageValues instanceof double[] a && a.length >= n)) {
      pageValues = new double[n];
    }
    return (double[]) pageValues;
  }

  private int[] ints(int n) {
    if (!(pageValues instanceof int[] a && a.length >= n)) {
      pageValues = new int[n];
    }
    return (int[]) pageValues;
  }
}
