package org.gsae.core.io;

import static org.gsae.core.io.IoTestSupport.assertError;
import static org.gsae.core.io.IoTestSupport.bits;
import static org.gsae.core.io.IoTestSupport.hadoopPath;
import static org.gsae.core.io.IoTestSupport.randomParams;
import static org.gsae.core.io.IoTestSupport.read;
import static org.gsae.core.io.IoTestSupport.rewrite;
import static org.gsae.core.io.IoTestSupport.sampleInfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.core.model.SaeParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint round trips and choosing the newest complete checkpoint to resume from. */
class CheckpointIOTest {
  @TempDir java.nio.file.Path tmp;

  static Map<String, ShapedFloats> adamState(SaeParameters p, float scale) {
    Map<String, ShapedFloats> m = new LinkedHashMap<>();
    for (String n : SaeParameters.NAMES) {
      float[] v = p.get(n).toFloatArray();
      float[] sq = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        sq[i] = v[i] * v[i] * scale;
      }
      m.put("adam.m." + n, new ShapedFloats(p.get(n).shape(), v));
      m.put("adam.v." + n, new ShapedFloats(p.get(n).shape(), sq));
    }
    return m;
  }

  /** {@code p} with the moments of {@link #adamState}, as a trainer holds them. */
  static TrainerState held(SaeParameters p, long step) {
    Map<String, ShapedFloats> moments = adamState(p, step);
    return new TrainerState() {
      @Override
      public int dIn() {
        return p.dIn();
      }

      @Override
      public int dSae() {
        return p.dSae();
      }

      @Override
      public long step() {
        return step;
      }

      @Override
      public void write(Part part, int tensor, FloatSink sink) throws java.io.IOException {
        float[] a = part == Part.PARAMS ? p.tensors().get(tensor).toFloatArray()
            : moments.get(part.tensorName(tensor)).values();
        // in uneven chunks, as a sharded holder writes them
        for (int off = 0; off < a.length; off += 5) {
          sink.write(a, off, Math.min(5, a.length - off));
        }
      }
    };
  }

  static Map<String, Object> state(long step) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("step", step);
    s.put("seed", 99);
    s.put("cursor", Map.of("epoch", 2, "offset", 12_345_678_901L));
    s.put("lr_schedule", List.of(0.0, 1e-4, 2e-4));
    return s;
  }

  void write(Path root, long step, SaeParameters p) {
    CheckpointIO.write(CheckpointIO.stepDir(root, step), held(p, step),
        sampleInfo().withProvenance(sampleInfo().provenance().withStepsTrained(step)),
        state(step), null);
  }

  @Test
  void givenCheckpoint_whenRead_thenEverythingRoundTrips() {
    Path root = new Path(hadoopPath(tmp), "checkpoints");
    SaeParameters p = randomParams(3, 7, 5);
    write(root, 250, p);
    Path dir = CheckpointIO.stepDir(root, 250);
    assertEquals("step-0000000250", dir.getName());
    assertArrayEquals(new String[] {"cfg.json", "checksums.sha256", "sae_weights.safetensors",
        "trainer_state.json", "trainer_state.safetensors"}, IoTestSupport.list(dir));

    Checkpoint c = CheckpointIO.read(dir, null);
    assertEquals(250, c.step());
    assertArrayEquals(bits(p.toFlat()), bits(c.parameters().toFlat()));
    assertEquals(3, c.dIn());
    assertEquals(7, c.dSae());
    assertEquals(250, c.info().provenance().stepsTrained());
    Map<String, ShapedFloats> moments = adamState(p, 250);
    for (TrainerState.Part part : List.of(TrainerState.Part.ADAM_M, TrainerState.Part.ADAM_V)) {
      for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
        assertArrayEquals(bits(moments.get(part.tensorName(i)).values()), bits(c.values(part, i)),
            part.tensorName(i));
      }
    }
    assertEquals(Json.canonical(state(250)), c.state());
    assertEquals(12_345_678_901L, ((Map<?, ?>) c.state().get("cursor")).get("offset"));
    // The model part is an ordinary model directory.
    assertArrayEquals(bits(p.toFlat()), bits(ModelDirectory.load(dir).params().toFlat()));
  }

  @Test
  void givenSeveralCheckpoints_thenLatestCompleteSkipsIncompleteDamagedAndTemporary() throws Exception {
    Path root = new Path(hadoopPath(tmp), "checkpoints");
    assertEquals(Optional.empty(), CheckpointIO.latestComplete(root, null));

    SaeParameters p100 = randomParams(3, 7, 100);
    write(root, 100, p100);
    write(root, 200, randomParams(3, 7, 200));
    write(root, 300, randomParams(3, 7, 300));
    write(root, 400, randomParams(3, 7, 400));
    write(root, 500, randomParams(3, 7, 500));
    var fs = IoTestSupport.fs(root);
    // 500: a file missing; 400: truncated tensors; 300: trainer_state.json not an object;
    // 200: a rename target that is a temporary; plus a stray temporary and a non-step name.
    fs.delete(new Path(CheckpointIO.stepDir(root, 500), "trainer_state.json"), false);
    Path t400 = new Path(CheckpointIO.stepDir(root, 400), "trainer_state.safetensors");
    byte[] b = read(t400);
    rewrite(t400, Arrays.copyOf(b, b.length - 3));
    rewrite(new Path(CheckpointIO.stepDir(root, 300), "trainer_state.json"),
        "[1]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(fs.rename(CheckpointIO.stepDir(root, 200),
        new Path(root, ".step-0000000900.tmp-abc")));
    fs.mkdirs(new Path(root, "step-latest"));
    fs.mkdirs(new Path(root, ".step-0000001000.tmp-def"));

    Checkpoint c = CheckpointIO.latestComplete(root, null).orElseThrow();
    assertEquals(100, c.step());
    assertArrayEquals(bits(p100.toFlat()), bits(c.parameters().toFlat()));

    // Each skipped one, read directly, says what is wrong with it.
    assertError(assertThrows(GsaeException.class,
        () -> CheckpointIO.read(CheckpointIO.stepDir(root, 500), null)),
        ErrorCode.INVALID_INPUT, "no trainer_state.json");
    assertError(assertThrows(GsaeException.class,
        () -> CheckpointIO.read(CheckpointIO.stepDir(root, 400), null)),
        ErrorCode.INVALID_INPUT, "trainer_state.safetensors");
    assertError(assertThrows(GsaeException.class,
        () -> CheckpointIO.read(CheckpointIO.stepDir(root, 300), null)),
        ErrorCode.INVALID_INPUT, "trainer_state.json does not match its checksum");
  }

  /**
   * A shard of the state is read from the files alone: any range of any tensor, equal to that
   * range of what was written, and nothing is held between reads.
   */
  @Test
  void givenCheckpoint_whenRangesAreRead_thenEachEqualsThatRangeOfTheTensor() throws Exception {
    Path root = new Path(hadoopPath(tmp), "ranges");
    SaeParameters p = randomParams(5, 11, 8);
    write(root, 8, p);
    Checkpoint c = CheckpointIO.read(CheckpointIO.stepDir(root, 8), null);
    TrainerState held = held(p, 8);
    for (TrainerState.Part part : TrainerState.Part.values()) {
      for (int i = 0; i < SaeParameters.NAMES.size(); i++) {
        float[] whole = held.values(part, i);
        for (int from = 0; from < whole.length; from += 7) {
          int len = Math.min(9, whole.length - from);
          float[] got = new float[len + 3];
          c.read(part, i, from, got, 2, len);
          assertArrayEquals(bits(Arrays.copyOfRange(whole, from, from + len)),
              bits(Arrays.copyOfRange(got, 2, 2 + len)), part.tensorName(i) + " from " + from);
          // the default (streaming) read of another state gives the same range
          float[] streamed = new float[len];
          held.read(part, i, from, streamed, 0, len);
          assertArrayEquals(bits(Arrays.copyOfRange(whole, from, from + len)), bits(streamed));
        }
      }
    }
  }

  /**
   * The state tensors are the twelve moments or nothing (zeros, as at step 0); anything else,
   * or a value that is not finite, is refused at once, naming the tensor.
   */
  @Test
  void givenStateTensorsMissingOrNotFinite_thenReadSaysWhichOrReadsZerosForNone() throws Exception {
    Path root = new Path(hadoopPath(tmp), "moments");
    SaeParameters p = randomParams(3, 7, 4);
    write(root, 4, p);
    Path dir = CheckpointIO.stepDir(root, 4);
    Path tensors = new Path(dir, CheckpointIO.STATE_TENSORS_FILE);
    IoTestSupport.fs(root).delete(new Path(dir, CheckpointIO.CHECKSUM_FILE), false);

    rewrite(tensors, new SafeTensorsWriter().toBytes());
    Checkpoint none = CheckpointIO.read(dir, null);
    assertArrayEquals(new float[7 * 3], none.values(TrainerState.Part.ADAM_V, 4));
    assertArrayEquals(bits(p.toFlat()), bits(none.parameters().toFlat()));

    Map<String, ShapedFloats> moments = adamState(p, 4);
    SafeTensorsWriter eleven = new SafeTensorsWriter();
    moments.forEach((k, v) -> {
      if (!k.equals("adam.m.r_mag")) {
        eleven.putFloats(k, v);
      }
    });
    rewrite(tensors, eleven.toBytes());
    assertError(assertThrows(GsaeException.class, () -> CheckpointIO.read(dir, null)),
        ErrorCode.INVALID_INPUT, "'adam.m.r_mag' is missing", "expected F32 [7]");

    SafeTensorsWriter nan = new SafeTensorsWriter();
    moments.forEach((k, v) -> {
      float[] a = v.values().clone();
      if (k.equals("adam.v.W_dec")) {
        a[2 * 3 + 1] = Float.NaN;
      }
      nan.putFloats(k, new ShapedFloats(v.shape(), a));
    });
    rewrite(tensors, nan.toBytes());
    assertError(assertThrows(GsaeException.class, () -> CheckpointIO.read(dir, null)),
        ErrorCode.INVALID_INPUT, "'adam.v.W_dec' has NaN at [2, 1]");
  }

  /**
   * One flipped mantissa bit in the weights leaves a finite, well-formed file that only the
   * checksum can tell from the original: the checkpoint is skipped for the next older one,
   * instead of being resumed from (and its effect blamed on the learning rate).
   */
  @Test
  void givenAFlippedBitInTheWeights_thenTheChecksumRejectsItAndAnOlderOneIsUsed() throws Exception {
    Path root = new Path(hadoopPath(tmp), "flip");
    SaeParameters p1 = randomParams(3, 7, 1);
    write(root, 1, p1);
    write(root, 2, randomParams(3, 7, 2));
    Path weights = new Path(CheckpointIO.stepDir(root, 2), ModelDirectory.WEIGHTS_FILE);
    byte[] b = read(weights);
    b[b.length - 8] ^= 0x01;   // lowest mantissa bit of the last-but-one float (little-endian)
    rewrite(weights, b);
    // The file itself still loads as a model: nothing but the checksum shows the damage.
    ModelDirectory.load(CheckpointIO.stepDir(root, 2));

    assertError(assertThrows(GsaeException.class,
        () -> CheckpointIO.read(CheckpointIO.stepDir(root, 2), null)),
        ErrorCode.INVALID_INPUT, "sae_weights.safetensors does not match its checksum");
    Checkpoint c = CheckpointIO.latestComplete(root, null).orElseThrow();
    assertEquals(1, c.step());
    assertArrayEquals(bits(p1.toFlat()), bits(c.parameters().toFlat()));
  }

  /** A checkpoint from before checksums existed is read as before. */
  @Test
  void givenACheckpointWithoutChecksums_thenItIsReadUnverified() throws Exception {
    Path root = new Path(hadoopPath(tmp), "old");
    SaeParameters p = randomParams(3, 7, 3);
    write(root, 3, p);
    IoTestSupport.fs(root).delete(new Path(CheckpointIO.stepDir(root, 3), CheckpointIO.CHECKSUM_FILE), false);
    assertArrayEquals(bits(p.toFlat()), bits(CheckpointIO.read(CheckpointIO.stepDir(root, 3), null)
        .parameters().toFlat()));
  }

  @Test
  void givenNumericOrderDiffersFromNameOrder_thenTheLargestStepWins() {
    Path root = new Path(hadoopPath(tmp), "ck");
    write(root, 9, randomParams(2, 3, 9));
    // A hand-made, unpadded name that sorts before step-0000000009 as text.
    CheckpointIO.write(new Path(root, "step-10"), held(randomParams(2, 3, 10), 10),
        ModelInfo.empty(), Map.of("step", 10), null);
    assertEquals(10, CheckpointIO.latestComplete(root, null).orElseThrow().step());
  }

  @Test
  void givenFourCheckpoints_whenPrunedToTwo_thenTheTwoLargestStepsRemainAndTemporariesAreLeftAlone()
      throws java.io.IOException {
    Path root = new Path(hadoopPath(tmp), "prune");
    for (long step : new long[] {9, 10, 100, 1000}) {
      write(root, step, randomParams(2, 3, step));
    }
    org.apache.hadoop.fs.FileSystem fs = root.getFileSystem(new org.apache.hadoop.conf.Configuration());
    fs.mkdirs(new Path(root, ".step-0000002000.tmp-x"));   // a writer's temporary: not a checkpoint
    CheckpointIO.prune(root, 2, null);
    assertArrayEquals(new String[] {".step-0000002000.tmp-x", "step-0000000100", "step-0000001000"},
        IoTestSupport.list(root));
  }
}
