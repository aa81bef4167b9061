package org.gsae.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.gsae.core.loss.GatedLoss;
import org.gsae.core.loss.LossSums;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.model.SaeInit;
import org.gsae.core.model.SaeParameters;
import org.gsae.core.model.Variant;
import org.gsae.core.train.GradientAccumulator;
import org.gsae.spark.analysis.FeatureTable;
import org.gsae.spark.harvest.HarvestRun;
import org.gsae.spark.store.FileTable;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.train.DistributedTrainer;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * Every object gsae ships through {@code spark.serializer}, sent through Spark's own
 * {@link KryoSerializer} with and without {@link GsaeKryoRegistrator}. The expectation is
 * independent of Kryo: the object that comes back must have the same Java serialisation
 * bytes as the one sent (the default serializer's wire form, which the other suites test).
 */
class GsaeKryoRegistratorTest {
  private static final int D_IN = 6;
  private static final int D_SAE = 10;

  @Test
  void givenTheRegistrator_whenEveryShippedObjectRoundTripsThroughKryo_thenItComesBackIntact() {
    SerializerInstance kryo = kryo(true);
    List<Object> objects = shippedObjects();
    List<Class<?>> covered = new ArrayList<>();
    for (Object o : objects) {
      Object back = roundTrip(kryo, o);
      assertEquals(o.getClass(), back.getClass());
      assertArrayEquals(javaBytes(o), javaBytes(back), o.getClass().getName());
      covered.add(o.getClass());
    }
    assertEquals(GsaeKryoRegistrator.CLASSES, covered, "one sample object per registered class");
  }

  @Test
  void givenNoRegistrator_whenTheTrainingObjectsGoThroughKryo_thenTheyFailOrComeBackWrong() {
    // The control: what the registrator is for. Kryo's field serializer cannot build a record
    // (a training task's result).
    SerializerInstance kryo = kryo(false);
    for (Object o : shippedObjects().subList(0, 1)) {
      boolean intact;
      try {
        intact = java.util.Arrays.equals(javaBytes(o), javaBytes(roundTrip(kryo, o)));
      } catch (RuntimeException e) {
        intact = false;
      }
      assertFalse(intact, o.getClass().getName() + " survived Kryo without the registrator");
    }
  }

  @Test
  void givenRegistrationRequired_whenAStepsShardNumbersGoThroughKryo_thenTheyComeBack() {
    SparkConf conf = new SparkConf(false)
        .set("spark.kryo.registrator", GsaeKryoRegistrator.class.getName())
        .set("spark.kryo.registrationRequired", "true");
    SerializerInstance kryo = new KryoSerializer(conf).newInstance();
    Integer[] shards = {0, 1, 2};
    assertArrayEquals(shards, (Integer[]) roundTrip(kryo, shards));
    SerializerInstance unregistered = new KryoSerializer(new SparkConf(false)
        .set("spark.kryo.registrationRequired", "true")).newInstance();
    assertThrows(RuntimeException.class, () -> roundTrip(unregistered, shards));
  }

  /** One object per {@link GsaeKryoRegistrator#CLASSES} entry, in that order. */
  private static List<Object> shippedObjects() {
    Random r = new Random(11);
    float[] mean = new float[D_IN];
    SaeParameters params = SaeInit.initialize(D_IN, D_SAE, 5, mean);
    int rows = 7;
    float[] x = new float[rows * D_IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    LossSums loss = new GradientAccumulator(D_IN, D_SAE)
        .add(params, new GatedLoss(Variant.PAPER, 1.0), 0.01, x, rows, 4).loss();
    float[] acts = new float[rows * D_SAE];
    for (int i = 0; i < acts.length; i++) {
      acts[i] = Math.max(0, (float) r.nextGaussian());
    }
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) {
      ids[i] = 100 + i;
    }
    AnalysisMetrics metrics = new AnalysisMetrics(D_IN, D_SAE, 3).add(x, acts, x.clone(), ids, rows);
    return List.of(
        stepResult(loss, new double[] {1.5, 2.25}),
        metrics,
        metrics.topKExamples(),
        metrics.bandSamples(),
        FeatureTable.of(metrics.featureStats(), metrics.histograms(), params.wDec().toFloatArray(),
            D_IN),
        new FileTable(List.of("file:/store/a.parquet", "file:/store/b.parquet"), new long[] {3, 4}),
        new RowBlock(ids, x, rows, D_IN),
        harvestDoc("Resumption of the session", new Object[] {7L, "ep-00-01-17.txt", null}));
  }

  /** A harvest's shuffled text with its metadata. */
  private static Object harvestDoc(String text, Object[] metadata) {
    try {
      var c = HarvestRun.DOC_CLASS.getDeclaredConstructor(String.class, Object[].class);
      c.setAccessible(true);
      return c.newInstance(text, metadata);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A training task's result: a partition's loss sums and a shard's sums of squares. */
  private static Object stepResult(LossSums loss, double[] squares) {
    try {
      var c = DistributedTrainer.RESULT_CLASS.getDeclaredConstructors()[0];
      c.setAccessible(true);
      return c.newInstance(3, loss, squares, "executor_host_1", null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static SerializerInstance kryo(boolean registered) {
    SparkConf conf = new SparkConf(false);
    if (registered) {
      conf.set("spark.kryo.registrator", GsaeKryoRegistrator.class.getName());
    }
    return new KryoSerializer(conf).newInstance();
  }

  private static Object roundTrip(SerializerInstance s, Object o) {
    return s.deserialize(s.serialize(o, ClassTag$.MODULE$.AnyRef()), ClassTag$.MODULE$.AnyRef());
  }

  private static byte[] javaBytes(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
