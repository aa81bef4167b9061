package org.gsae.spark.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.gsae.core.error.Errors;
import org.gsae.spark.store.StoreFooters.FileFooter;

/**
 * An opened activation store (docs/architecture.md §4): Parquet files whose activation column is
 * {@code array<float>}, {@code array<double>} or a Spark ML {@code Vector}; every other
 * column is metadata. {@link #open} checks everything that can be checked on the driver
 * (paths, Parquet footers, schemas, the activation column, row count) before any Spark job.
 *
 * <p>Row ids: files are ordered by path and {@code row_id} = rows in all earlier files + the
 * row's index in its file (from the Parquet footers and Spark's {@code _metadata.row_index}),
 * so ids are stable across runs and partitionings.
 *
 * <p>Values are validated as they are read ({@link #pack}): null vectors, null elements,
 * empty vectors, NaN, infinities and wrong widths are handled by {@code input.on_invalid}.
 * A job that fails on an invalid row throws a {@code SparkException}; {@link #pack} rethrows
 * the INVALID_INPUT {@link org.gsae.core.error.GsaeException} inside it (see
 * {@link TaskFailures}).
 */
public final class ActivationStore implements AutoCloseable {
  /** Column added by {@link #withRowIds()}: the row's position in the store, {@code long}. */
  public static final String ROW_ID = "row_id";
  /** Column added by {@link #withRowIds()}: the row's file ({@code _metadata.file_path}). */
  public static final String SOURCE_FILE = "_gsae_source_file";
  /** Column added by {@link #withRowIds()}: the row's index in its file. */
  public static final String SOURCE_ROW = "_gsae_source_row";
  private static final Set<String> RESERVED = Set.of(ROW_ID, SOURCE_FILE, SOURCE_ROW, "_metadata");

  private final SparkSession spark;
  private final InputConfig config;
  private final OptionalInt expectedDIn;
  private final FileTable files;
  private final StructType schema;
  private final ActivationType activationType;
  private final long[] fileBytes;
  private final Broadcast<FileTable> filesBroadcast;
  private final Broadcast<SerializableWritable<Configuration>> confBroadcast;
  private final RangeLocations locations;
  private Dataset<Row> withRowIds;

  private ActivationStore(SparkSession spark, InputConfig config, OptionalInt expectedDIn,
      FileTable files, List<FileStatus> statuses, long[] fileBytes, StructType schema,
      ActivationType activationType) {
    this.spark = spark;
    this.config = config;
    this.expectedDIn = expectedDIn;
    this.files = files;
    this.fileBytes = fileBytes;
    this.schema = schema;
    this.activationType = activationType;
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.filesBroadcast = jsc.broadcast(files);
    this.confBroadcast = jsc.broadcast(
        new SerializableWritable<>(spark.sparkContext().hadoopConfiguration()));
    this.locations = new RangeLocations(files, statuses,
        spark.sparkContext().hadoopConfiguration());
  }

  /** Opens a store with no model: {@code d_in} is the width of the first valid row. */
  public static ActivationStore open(SparkSession spark, InputConfig config) {
    return open(spark, config, OptionalInt.empty());
  }

  /**
   * Opens and checks a store without running a Spark job.
   *
   * @param expectedDIn the model's {@code d_in} when a model is given; every row must have
   *                    this width
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT when the path matches nothing,
   *     a directory has no Parquet file, a file is not Parquet, files differ in schema, the
   *     activation column is missing or of another type, or the store has no rows; IO when
   *     storage cannot be read
   */
  public static ActivationStore open(SparkSession spark, InputConfig config,
      OptionalInt expectedDIn) {
    Errors.check(expectedDIn.isEmpty() || expectedDIn.getAsInt() > 0,
        "expected d_in must be > 0, got %s", expectedDIn);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<FileStatus> statuses = StoreListing.resolve(config.path(), conf);
    List<FileFooter> footers = StoreFooters.read(statuses, conf, spark.sessionState().conf());
    StoreFooters.requireSameSchema(footers, config.path());
    StructType schema = (StructType) SparkTypes.nullable(footers.get(0).schema());
    ActivationType type = checkColumns(schema, config, footers.get(0).path());
    List<String> paths = new ArrayList<>();
    long[] rows = new long[footers.size()];
    long[] bytes = new long[footers.size()];
    for (int i = 0; i < rows.length; i++) {
      paths.add(footers.get(i).path());
      rows[i] = footers.get(i).rows();
      bytes[i] = footers.get(i).bytes();
    }
    FileTable table = new FileTable(paths, rows);
    if (table.totalRows() == 0) {
      throw Errors.invalidInput("the activation store has no rows (" + table.files()
          + " Parquet file(s), all empty)", config.path(),
          "point input.path at the data; check that the job writing it produced rows");
    }
    return new ActivationStore(spark, config, expectedDIn, table, statuses, bytes, schema, type);
  }

  private static ActivationType checkColumns(StructType schema, InputConfig config, String file) {
    for (StructField f : schema.fields()) {
      if (RESERVED.contains(f.name())) {
        throw Errors.invalidInput("the store has a column named '" + f.name()
            + "', a name gsae reserves for the row ids it adds", file,
            "rename or drop that column in the store");
      }
    }
    String column = config.column();
    Optional<StructField> field = List.of(schema.fields()).stream()
        .filter(f -> f.name().equals(column)).findFirst();
    if (field.isEmpty()) {
      List<String> available = new ArrayList<>();
      String sameIgnoringCase = null;
      for (StructField f : schema.fields()) {
        available.add(f.name() + " (" + SparkTypes.describe(f.dataType()) + ")");
        sameIgnoringCase = f.name().equalsIgnoreCase(column) ? f.name() : sameIgnoringCase;
      }
      throw Errors.invalidInput("activation column '" + column + "' not found; available columns: "
          + String.join(", ", available)
          + (sameIgnoringCase == null ? "" : " (names are case-sensitive: '" + sameIgnoringCase + "'?)"),
          file, "set input.column to the column that holds the activation vectors");
    }
    return ActivationType.of(field.get().dataType()).orElseThrow(() -> Errors.invalidInput(
        "activation column '" + column + "' has type " + SparkTypes.describe(field.get().dataType())
            + "; accepted types: " + ActivationType.accepted(), file,
        "set input.column to the activation column, or rewrite the column as array<float>"));
  }

  /** The configuration the store was opened with. */
  public InputConfig config() {
    return config;
  }

  /** The model's {@code d_in} when one was given. */
  public OptionalInt expectedDIn() {
    return expectedDIn;
  }

  /** The store's files in {@code row_id} order, with row counts. */
  public FileTable files() {
    return files;
  }

  /** The store's size on storage: the files' total length in bytes. */
  public long totalBytes() {
    long sum = 0;
    for (long b : fileBytes) {
      sum += b;
    }
    return sum;
  }

  /**
   * The store cut into windows of at most {@code budget} bytes of files
   * ({@link StoreWindow#cut}).
   */
  public List<StoreWindow> windows(long budget) {
    return StoreWindow.cut(files, fileBytes, budget);
  }

  /** Rows in the store, valid or not (from the Parquet footers). */
  public long totalRows() {
    return files.totalRows();
  }

  /** The store's columns (all nullable), without the columns {@link #withRowIds()} adds. */
  public StructType schema() {
    return schema;
  }

  /** The Spark type of the activation column. */
  public ActivationType activationType() {
    return activationType;
  }

  /** Every column except the activation column, in schema order. */
  public List<String> metadataColumns() {
    List<String> names = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (!f.name().equals(config.column())) {
        names.add(f.name());
      }
    }
    return names;
  }

  /**
   * A Parquet dataset gsae wrote (an analysis table, {@code metrics.parquet}), read with the
   * schema of its first file's footer rather than Spark's inference job (whose task results
   * a cluster with {@code spark.kryo.registrationRequired=true} refuses).
   */
  public static Dataset<Row> readTable(SparkSession spark, String dataset) {
    StructType schema = StoreFooters.schemaOf(dataset, spark.sparkContext().hadoopConfiguration(),
        spark.sessionState().conf());
    return spark.read().schema(schema).parquet(dataset);
  }

  /**
   * Every row of the store, not validated: all original columns, then {@value #ROW_ID}
   * ({@code long}), {@value #SOURCE_FILE} ({@code string}, the file URI) and
   * {@value #SOURCE_ROW} ({@code long}, the row's index in that file). Lazy; no job runs
   * until an action.
   */
  public synchronized Dataset<Row> withRowIds() {
    if (withRowIds == null) {
      withRowIds = withRowIds(0, files.files());
    }
    return withRowIds;
  }

  /** {@link #withRowIds()} of files {@code [first, end)} only. */
  private Dataset<Row> withRowIds(int first, int end) {
    String[] paths = new String[end - first];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = files.path(first + i);
    }
    Dataset<Row> raw = spark.read().schema(schema).parquet(paths);
    UserDefinedFunction rowIdOf = functions.udf(new RowIdFunction(filesBroadcast),
        DataTypes.LongType).asNonNullable();
    Column filePath = functions.col("_metadata.file_path");
    Column rowIndex = functions.col("_metadata.row_index");
    List<Column> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      columns.add(column(f.name()));
    }
    columns.add(rowIdOf.apply(filePath, rowIndex).as(ROW_ID));
    columns.add(filePath.as(SOURCE_FILE));
    columns.add(rowIndex.as(SOURCE_ROW));
    return raw.select(columns.toArray(new Column[0]));
  }

  /**
   * Validates every row and packs the valid ones into persisted row blocks in store order,
   * reading the activation column straight from the Parquet files (see {@link Packer}).
   * Runs one or two Spark jobs (two when no model {@code d_in} was given, to learn the first
   * valid row's width).
   *
   * @throws org.gsae.core.error.GsaeException INVALID_INPUT on the first invalid row with
   *     {@code input.on_invalid = fail}, or when no row is valid
   */
  public PackedStore pack(PackOptions options) {
    return Packer.pack(jsc(), packSource(), expectedDIn.orElse(0), MODEL_WIDTH,
        partitions(options, 0, files.files()), options.blockRows(), 0, files.totalRows(), false);
  }

  /**
   * Validates and packs the rows of one window, as {@link #pack} does the store's: reads only
   * the window's files. A window with no valid row gives an empty {@link PackedStore}.
   *
   * @param width       the width rows must have: the model's {@code d_in}, or the width
   *                    learnt from an earlier window, or 0 to learn it from this window's
   *                    first valid row
   * @param widthSource where {@code width} comes from, for messages (see
   *                    {@link PackedStore#widthSource()}); ignored when {@code width} is 0
   */
  public PackedStore pack(PackOptions options, StoreWindow window, int width, String widthSource) {
    if (width == 0 && expectedDIn.isPresent()) {
      width = expectedDIn.getAsInt();
      widthSource = MODEL_WIDTH;
    }
    return Packer.pack(jsc(), packSource(), width, widthSource,
        partitions(options, window.firstFile(), window.endFile()), options.blockRows(),
        window.firstRow(), window.rows(), true);
  }

  /**
   * The store's valid rows as blocks in store order, as {@link #pack} builds them, but read by
   * each Spark action anew: nothing is persisted and no job runs here. For one pass over a
   * store of any size (the analysis); {@code input.on_invalid} applies in that pass (with
   * {@code fail}, the pass's job fails with the row's INVALID_INPUT error, see
   * {@link TaskFailures}). Needs the model's {@code d_in}.
   *
   * @param options partitions (0 = as many as Spark's file scan makes) and rows per block
   * @throws IllegalStateException when the store was opened without a model {@code d_in}
   */
  public JavaRDD<RowBlock> stream(PackOptions options) {
    if (expectedDIn.isEmpty()) {
      throw new IllegalStateException("streaming needs the model's d_in; open the store with it");
    }
    return Packer.stream(jsc(), packSource(), expectedDIn.getAsInt(), MODEL_WIDTH,
        partitions(options, 0, files.files()), options.blockRows(), 0, files.totalRows());
  }

  private Packer.Source packSource() {
    return new Packer.Source(filesBroadcast, confBroadcast, locations, config, activationType);
  }

  private JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /**
   * {@code options.partitions()}, or for 0 as many as Spark's file scan of files
   * {@code [first, end)} makes (planning only, no job).
   */
  private int partitions(PackOptions options, int first, int end) {
    if (options.partitions() > 0) {
      return options.partitions();
    }
    return Math.max(1, withRowIds(first, end).rdd().getNumPartitions());
  }

  /** How the model's width is named in messages. */
  static final String MODEL_WIDTH = "(d_in of the model)";

  /** The error for a store with no valid row ({@code input.on_invalid = skip} dropped all). */
  public RuntimeException noValidRow() {
    return Packer.noValidRow(config);
  }

  /** A column reference that takes the name literally (dots, spaces, backticks). */
  static Column column(String name) {
    return functions.col("`" + name.replace("`", "``") + "`");
  }

  /**
   * Drops the executors' copies of the file table and Hadoop configuration; blocks are
   * released by their owner.
   */
  @Override
  public void close() {
    filesBroadcast.unpersist(false);
    confBroadcast.unpersist(false);
  }

  @Override
  public String toString() {
    return "ActivationStore[" + config.path() + ", " + files.files() + " files, "
        + files.totalRows() + " rows, column " + config.column() + " " + activationType + "]";
  }
}
