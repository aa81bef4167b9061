package org.gsae.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.storage.BlockId;
import org.gsae.spark.SparkTestSession;
import org.gsae.spark.train.ShardBlocks.Kind;
import org.gsae.spark.train.ShardBlocks.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Blocks of a sharded step in this JVM's block manager, in both storage forms. */
class ShardBlocksTest {
  @BeforeAll
  static void spark() {
    SparkTestSession.get();
  }

  private static float[] ramp(int n, float base) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = base + i;
    }
    return a;
  }

  @Test
  void givenBytesInChunksOfSeven_whenRunsAreWrittenAndReadAcrossChunks_thenEveryValueComesBack() {
    ShardBlocks b = new ShardBlocks(1, false, 7);
    float[] x = ramp(20, 0);
    float[] y = ramp(9, 100);
    BlockId id = b.grad(3, 1, 0);
    b.put(id, false, new Run(x, 5, 11), new Run(new float[0], 0, 0), new Run(y, 0, 9));
    float[] out = new float[25];
    b.read(id, new Run(out, 2, 4), new Run(out, 6, 16));   // 20 values, split elsewhere
    float[] expect = new float[25];
    System.arraycopy(x, 5, expect, 2, 11);
    System.arraycopy(y, 0, expect, 13, 9);
    assertArrayEquals(expect, out);
    float[] middle = new float[6];   // values 8..13 of the block, the rest skipped
    b.read(id, Run.skip(8), new Run(middle, 0, 6), Run.skip(6));
    assertArrayEquals(java.util.Arrays.copyOfRange(expect, 10, 16), middle);
    assertThrows(IllegalStateException.class, () -> b.read(id, new Run(new float[21], 0, 21)));
    b.release(3, Kind.GRAD);
  }

  @Test
  void givenArrays_whenAWholeArrayIsStored_thenReadersSeeThatArrayAndAPartialRunIsCopied() {
    ShardBlocks b = new ShardBlocks(1, true);
    float[] whole = ramp(6, 1);
    float[] part = ramp(10, 50);
    BlockId id = b.state(Kind.PARAMS, 0, 0);
    b.put(id, true, new Run(whole, 0, 6), new Run(part, 2, 3));
    float[][] held = b.view(id);
    assertSame(whole, held[0]);
    assertArrayEquals(new float[] {52, 53, 54}, held[1]);
    float[] out = new float[9];
    b.read(id, new Run(out, 0, 9));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 52, 53, 54}, out);
    float[] tail = new float[4];
    b.read(id, Run.skip(5), new Run(tail, 0, 4));
    assertArrayEquals(new float[] {6, 52, 53, 54}, tail);
    b.release(0, Kind.PARAMS);
  }

  @Test
  void givenAReleasedStep_whenItsBlocksAreRead_thenTheyAreLostAndOtherKindsStay() throws Exception {
    for (boolean objects : new boolean[] {false, true}) {
      ShardBlocks b = new ShardBlocks(1, objects);
      BlockId grad = b.grad(8, 0, 0);
      BlockId params = b.state(Kind.PARAMS, 8, 0);
      b.put(grad, false, new Run(ramp(4, 0), 0, 4));
      b.put(params, true, new Run(ramp(4, 9), 0, 4));
      b.release(8, Kind.GRAD);
      long until = System.nanoTime() + 10_000_000_000L;   // the removal is asynchronous
      boolean gone = false;
      while (!gone && System.nanoTime() < until) {
        try {
          b.read(grad, new Run(new float[4], 0, 4));
          Thread.sleep(20);
        } catch (ShardBlocks.LostBlockException e) {
          gone = true;
        }
      }
      assertTrue(gone, "the released gradient block is still readable (objects=" + objects + ")");
      float[] out = new float[4];
      b.read(params, new Run(out, 0, 4));
      assertArrayEquals(ramp(4, 9), out);
      b.release(8, Kind.PARAMS);
    }
  }

  @Test
  void givenAMaster_thenArraysOnlyWhereOneJvmNeverRunsATaskTwice() {
    for (String m : new String[] {"local", "local[2]", "local[*]"}) {
      assertTrue(ShardBlocks.arraysFor(m), m);
    }
    for (String m : new String[] {"local[2,3]", "local[*,2]", "local-cluster[2,1,1024]",
        "spark://127.0.0.1:7077", "yarn"}) {
      org.junit.jupiter.api.Assertions.assertFalse(ShardBlocks.arraysFor(m), m);
    }
  }
}
