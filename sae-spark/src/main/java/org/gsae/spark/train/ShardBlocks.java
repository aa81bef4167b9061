package org.gsae.spark.train;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.BroadcastBlockId;
import org.apache.spark.storage.ByteBufferBlockData;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.io.ChunkedByteBuffer;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.train.Shard;
import org.gsae.core.train.ShardLayout;
import scala.Option;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Where a sharded run keeps its arrays: float32 values as little-endian bytes in the Spark
 * block managers of the executors that made them (the way BigDL's {@code AllReduceParameter}
 * keeps its weight and gradient slices), read back locally or fetched from a peer by block id,
 * never through the driver. Each kind of block of step t lives under its own group id (a
 * {@link BroadcastBlockId} number in a range Spark's own broadcasts, numbered from 0, never
 * reach), so one call drops all the blocks of a kind and step from every executor
 * ({@link #release}).
 *
 * <p>In local mode (one JVM) a block is the arrays themselves, stored as a deserialised value:
 * a reader that only reads gets them without a copy ({@link #view}), so a step copies no more
 * than its arithmetic needs. On a cluster a block is the values as little-endian bytes, stored
 * once, fetched by any executor without re-serialising.
 *
 * <p>Blocks of one step:
 * <ul>
 *   <li>{@code PARAMS}: shard s's six segments of the parameters ({@code s<s>}); {@code MOMENTS}:
 *       its six segments of Adam's m, then of v; both stored with the configured replication;
 *   <li>{@code GRAD}: partition p's gradient sums cut to shard s ({@code p<p>s<s>}), one copy;
 *   <li>{@code MEAN}: shard s's mean gradient ({@code s<s>}), one copy, when clipping needs the
 *       global norm before the update;
 *   <li>{@code ROWS}: partition p's share of the step's rows ({@code p<p>}), gathered for
 *       {@link InProcessTrainer} (local mode only).
 * </ul>
 */
final class ShardBlocks implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kinds of block, by their offset in a step's group ids. */
  enum Kind { PARAMS, MOMENTS, GRAD, MEAN, ROWS }

  /** Values per chunk of a block (a Java buffer holds at most 2 GiB). */
  private static final int CHUNK_VALUES = 16 << 20;
  private static final ClassTag<byte[]> BYTES = ClassTag$.MODULE$.apply(byte[].class);

  private static final ClassTag<float[][]> ARRAYS = ClassTag$.MODULE$.apply(float[][].class);

  private final long base;
  private final int replication;
  private final boolean objects;
  private final int chunkValues;

  /**
   * @param replication copies of each state block (1 or 2: a second copy on another
   *                    executor, when there is one, survives the loss of the first)
   * @param objects     keep blocks as arrays, not as bytes: only in local mode without task
   *                    retries ({@link #arraysFor})
   */
  ShardBlocks(int replication, boolean objects) {
    this(replication, objects, CHUNK_VALUES);
  }

  /** With another chunk size (tests: blocks of several chunks without 64 MB arrays). */
  ShardBlocks(int replication, boolean objects, int chunkValues) {
    // 2^55 + a random multiple of 2^36: far above Spark's broadcast ids, and two runs in one
    // application do not meet (2^19 choices, room for 2^34 / 8 steps each).
    this.base = (1L << 55) + ThreadLocalRandom.current().nextLong(1 << 19) * (1L << 36);
    this.replication = replication;
    this.objects = objects;
    this.chunkValues = chunkValues;
  }

  long group(long step, Kind kind) {
    return base + step * 8 + kind.ordinal();
  }

  /** Shard s's parameters ({@code PARAMS}: six segments) or moments ({@code MOMENTS}: m's six, then v's). */
  BlockId state(Kind kind, long step, int shard) {
    return new BroadcastBlockId(group(step, kind), "s" + shard);
  }

  BlockId grad(long step, int partition, int shard) {
    return new BroadcastBlockId(group(step, Kind.GRAD), "p" + partition + "s" + shard);
  }

  BlockId mean(long step, int shard) {
    return new BroadcastBlockId(group(step, Kind.MEAN), "s" + shard);
  }

  BlockId rows(long step, int partition) {
    return new BroadcastBlockId(group(step, Kind.ROWS), "p" + partition);
  }

  /**
   * {@code a[from .. from + count)}: one run of a block's values; a read with a null
   * {@code a} skips {@code count} values.
   */
  record Run(float[] a, int from, int count) {
    static Run skip(int count) {
      return new Run(null, 0, count);
    }

    /** Shard {@code shard}'s segment of each of the six arrays of {@code p}, in place. */
    static Run[] of(SaeParameters p, ShardLayout layout, int shard) {
      Run[] runs = new Run[SaeParameters.NAMES.size()];
      for (int i = 0; i < runs.length; i++) {
        runs[i] = new Run(p.tensors().get(i).floatView(), (int) layout.from(shard, i),
            layout.length(shard, i));
      }
      return runs;
    }

    /** The segments of the shards, one shard after another. */
    static Run[] of(Shard... shards) {
      int k = SaeParameters.NAMES.size();
      Run[] runs = new Run[k * shards.length];
      for (int j = 0; j < shards.length; j++) {
        for (int i = 0; i < k; i++) {
          runs[j * k + i] = new Run(shards[j].segment(i), 0, shards[j].segment(i).length);
        }
      }
      return runs;
    }
  }

  /**
   * Stores the runs, one after another, as block {@code id}; an existing block is kept (a
   * block is only ever recomputed to the same values). In local mode a run that covers its
   * whole array is stored as that array, which the caller must not change afterwards.
   *
   * @param replicated a state block: stored with the configured replication
   */
  void put(BlockId id, boolean replicated, Run... runs) {
    if (objects) {
      float[][] arrays = new float[runs.length][];
      for (int i = 0; i < runs.length; i++) {
        Run r = runs[i];
        arrays[i] = r.from() == 0 && r.count() == r.a().length ? r.a()
            : Arrays.copyOfRange(r.a(), r.from(), r.from() + r.count());
      }
      // No report to the master: in one JVM nobody fetches by location (a release still reaches it).
      if (!manager().putSingle(id, arrays, StorageLevel.MEMORY_AND_DISK(), false, ARRAYS)) {
        throw new IllegalStateException("Spark's block manager refused block " + id
            + ": no room in memory or on disk");
      }
      return;
    }
    long total = 0;
    for (Run r : runs) {
      total += r.count();
    }
    int chunks = (int) Math.max(1, (total + chunkValues - 1) / chunkValues);
    ByteBuffer[] bufs = new ByteBuffer[chunks];
    int run = 0;
    int inRun = 0;
    for (int c = 0; c < chunks; c++) {
      int n = (int) Math.min(chunkValues, total - (long) c * chunkValues);
      ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
      FloatBuffer f = b.asFloatBuffer();
      while (f.hasRemaining()) {
        Run r = runs[run];
        int k = Math.min(f.remaining(), r.count() - inRun);
        f.put(r.a(), r.from() + inRun, k);
        inRun += k;
        if (inRun == r.count()) {
          run++;
          inRun = 0;
        }
      }
      bufs[c] = b;
    }
    StorageLevel level = replicated && replication > 1 ? StorageLevel.MEMORY_AND_DISK_SER_2()
        : StorageLevel.MEMORY_AND_DISK_SER();
    if (!manager().putBytes(id, new ChunkedByteBuffer(bufs), level, true, BYTES)) {
      throw new IllegalStateException("Spark's block manager refused block " + id + " ("
          + 4 * total + " bytes): no room in memory or on disk");
    }
  }

  /**
   * Reads block {@code id} into the runs, in order: from this JVM's block manager when it
   * holds the block, else from a peer's.
   *
   * @throws LostBlockException when no live block manager holds it
   */
  void read(BlockId id, Run... runs) {
    if (objects) {
      float[][] held = view(id);
      long total = 0;
      long wanted = 0;
      for (float[] a : held) {
        total += a.length;
      }
      int k = 0;
      int inArray = 0;
      for (Run r : runs) {
        wanted += r.count();
        for (int done = 0; done < r.count(); ) {
          while (k < held.length && inArray == held[k].length) {
            k++;
            inArray = 0;
          }
          if (k == held.length) {
            break;
          }
          int n = Math.min(r.count() - done, held[k].length - inArray);
          if (r.a() != null) {
            System.arraycopy(held[k], inArray, r.a(), r.from() + done, n);
          }
          inArray += n;
          done += n;
        }
      }
      if (total != wanted) {
        throw new IllegalStateException("block " + id + " holds " + total
            + " values, expected " + wanted);
      }
      return;
    }
    BlockManager bm = manager();
    Option<BlockData> local = bm.getLocalBytes(id);
    if (local.isDefined()) {
      try {
        BlockData d = local.get();
        copy(id, d instanceof ByteBufferBlockData m ? m.buffer().getChunks()
            : new ByteBuffer[] {d.toByteBuffer()}, runs);
      } finally {
        bm.releaseLock(id, Option.apply(TaskContext.get()));
      }
      return;
    }
    Option<ChunkedByteBuffer> remote = bm.getRemoteBytes(id);
    if (remote.isEmpty()) {
      scala.collection.Seq<BlockManagerId> holders = bm.master().getLocations(id);
      if (!holders.isEmpty()) {   // held, but the fetch failed (Spark logged why): not a loss
        throw new IllegalStateException("block " + id + " is held by " + holders
            + " but could not be fetched; Spark's log above says why (for example no heap left"
            + " for a block of this size)");
      }
      throw new LostBlockException(id);
    }
    copy(id, remote.get().getChunks(), runs);
  }

  /**
   * The {@code count} shards (six segments each) of a block: in local mode the stored arrays
   * themselves (to read, or to change only as {@link #own} says), else copies of the caller's
   * own.
   */
  Shard[] shards(BlockId id, ShardLayout layout, int shard, int count) {
    int k = SaeParameters.NAMES.size();
    Shard[] out = new Shard[count];
    if (objects) {
      float[][] held = view(id);
      if (held.length != k * count) {
        throw new IllegalStateException("block " + id + " holds " + held.length
            + " arrays, expected " + k * count);
      }
      for (int j = 0; j < count; j++) {
        out[j] = Shard.of(layout.dIn(), Arrays.copyOfRange(held, j * k, (j + 1) * k));
      }
      return out;
    }
    for (int j = 0; j < count; j++) {
      out[j] = Shard.zeros(layout, shard);
    }
    read(id, Run.of(out));
    return out;
  }

  /** The one shard of a block of six segments ({@link #shards}). */
  Shard shard(BlockId id, ShardLayout layout, int shard) {
    return shards(id, layout, shard, 1)[0];
  }

  /**
   * The arrays of a block stored in local mode, not copied: the caller must not change them,
   * except the one task that reads a block of step t to replace it with step t + 1's: local
   * mode (as this class is only given it: {@code local} or {@code local[N]}) never runs a task
   * twice, so no reader can see a half-updated array.
   *
   * @throws LostBlockException when this JVM does not hold the block
   */
  float[][] view(BlockId id) {
    if (!objects) {
      throw new IllegalStateException("blocks are bytes on a cluster; read them into arrays");
    }
    float[][] arrays = readHeld(id, it -> (float[][]) it.next());
    if (arrays == null) {
      throw new LostBlockException(id);
    }
    return arrays;
  }

  /**
   * {@code reader} applied to the values of block {@code id} as this JVM's block manager holds
   * them (no copy for deserialised blocks), or null when it holds no such block. The values
   * are read under the block's read lock, released once {@code reader} returns (the end of
   * the values' iterator releases it, so whatever the reader left is drained).
   */
  static <T> T readHeld(BlockId id, Function<Iterator<Object>, T> reader) {
    Option<BlockResult> held = manager().getLocalValues(id);
    if (held.isEmpty()) {
      return null;
    }
    scala.collection.Iterator<Object> it = held.get().data();
    try {
      return reader.apply(JavaConverters.asJavaIterator(it));
    } finally {
      while (it.hasNext()) {
        it.next();
      }
    }
  }

  /**
   * Whether blocks can be arrays for this master: one JVM, and no task ever runs twice
   * ({@code local}, {@code local[N]}, {@code local[*]}; not {@code local[N,F]}, which retries).
   */
  static boolean arraysFor(String master) {
    return master.equals("local") || master.matches("local\\[(\\d+|\\*)\\]");
  }

  /** True when blocks are arrays in this JVM (local mode). */
  boolean objects() {
    return objects;
  }

  private static void copy(BlockId id, ByteBuffer[] chunks, Run[] runs) {
    int run = 0;
    int inRun = 0;
    long held = 0;
    long wanted = 0;
    for (Run r : runs) {
      wanted += r.count();
    }
    for (ByteBuffer b : chunks) {
      FloatBuffer f = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      held += f.remaining();
      while (f.hasRemaining() && run < runs.length) {
        Run r = runs[run];
        int k = Math.min(f.remaining(), r.count() - inRun);
        if (r.a() != null) {
          f.get(r.a(), r.from() + inRun, k);
        } else {
          f.position(f.position() + k);
        }
        inRun += k;
        if (inRun == r.count()) {
          run++;
          inRun = 0;
        }
      }
    }
    if (held != wanted) {
      throw new IllegalStateException("block " + id + " holds " + held + " values, expected "
          + wanted);
    }
  }

  /** Drops every block of {@code kind} and {@code step} from all executors (asynchronously). */
  void release(long step, Kind kind) {
    SparkEnv.get().blockManager().master().removeBroadcast(group(step, kind), true, false);
  }

  private static BlockManager manager() {
    return SparkEnv.get().blockManager();
  }

  /** A block that no live executor holds (its executor was lost, with every copy). */
  static final class LostBlockException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LostBlockException(BlockId id) {
      super("block " + id + " is held by no live executor");
    }
  }
}
