package org.gsae.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;
import org.gsae.core.metrics.AnalysisMetrics;
import org.gsae.core.metrics.BandSamples;
import org.gsae.core.metrics.TopKExamples;
import org.gsae.spark.analysis.FeatureTable;
import org.gsae.spark.harvest.HarvestRun;
import org.gsae.spark.store.FileTable;
import org.gsae.spark.store.RowBlock;
import org.gsae.spark.train.DistributedTrainer;

/**
 * Lets gsae run where {@code spark.serializer} is Kryo (a common cluster default). Spark
 * serialises broadcast values, task results and serialised or spilled RDD blocks with that
 * serializer, and Kryo's default field-by-field serializer cannot handle gsae's objects: it
 * fails on records ({@code SaeParameters}: "can't get field offset on a record class") and
 * would silently drop the gradient an accumulator keeps in a transient field. This
 * registrator maps every gsae class that Spark ships as a top-level object to Kryo's
 * {@link JavaSerializer}, so they travel exactly as with Spark's default Java serializer
 * (their own bulk {@code writeObject}/{@code writeExternal} included); everything else
 * keeps Kryo.
 *
 * <p>gsae's jobs add it to {@code spark.kryo.registrator} themselves when Kryo is the
 * serializer; an application that creates its own session with Kryo must list it there.
 */
public final class GsaeKryoRegistrator implements KryoRegistrator {
  /** The classes registered, in registration order. */
  public static final List<Class<?>> CLASSES = List.of(
      DistributedTrainer.RESULT_CLASS,      // a training task's result
      AnalysisMetrics.class,                // an analysis task's result
      TopKExamples.class,                   // broadcast by the analysis
      BandSamples.class,                    // broadcast by the analysis
      FeatureTable.class,                   // broadcast by the analysis
      FileTable.class,                      // broadcast by every store scan
      RowBlock.class,                       // cached row blocks (serialised or spilled levels)
      HarvestRun.DOC_CLASS);                // a harvest's texts, shuffled into doc-id ranges

  /**
   * Classes Kryo's own serializers handle, registered for {@code spark.kryo.registrationRequired}:
   * the shard numbers of a training step's shard tasks (a parallelised collection, whose
   * partitions Spark serialises with this serializer).
   */
  public static final List<Class<?>> KRYO_SERIALIZED = List.of(Integer[].class);

  @Override
  public void registerClasses(Kryo kryo) {
    JavaSerializer java = new JavaSerializer();
    for (Class<?> c : CLASSES) {
      kryo.register(c, java);
    }
    for (Class<?> c : KRYO_SERIALIZED) {
      kryo.register(c);
    }
  }
}
