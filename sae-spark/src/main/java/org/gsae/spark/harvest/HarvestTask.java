package org.gsae.spark.harvest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.SerializableWritable;
import org.gsae.core.analysis.TokenActivations;
import org.gsae.core.error.Errors;
import org.gsae.onnx.OnnxActivationModel;
import org.gsae.onnx.Site;
import scala.Tuple2;

/**
 * One partition of a harvest: its texts (doc index and {@link HarvestDoc}), in doc order, through the executor's model in chunks; out come the rows of
 * {@link HarvestSchema}, a row per token, in doc then position order. With a token budget the
 * partition stops after that many tokens (the last text may be cut).
 */
final class HarvestTask implements Function2<Integer, Iterator<Tuple2<Long, HarvestDoc>>, Iterator<Row>> {
  /** Texts per model call at most. */
  static final int CHUNK_TEXTS = 512;
  /** Characters per model call at most (about 32k tokens of English; bounds a chunk's memory). */
  static final int CHUNK_CHARS = 128 * 1024;

  private final String model;
  private final Site site;
  private final Broadcast<SerializableWritable<Configuration>> conf;
  private final String textColumn;
  private final int context;
  /** Per partition: tokens it may write, or -1 for all. */
  private final long[] budgets;
  private final LongAccumulator tokens;
  private final LongAccumulator harvested;
  private final LongAccumulator truncated;

  HarvestTask(String model, Site site, Broadcast<SerializableWritable<Configuration>> conf, String textColumn,
      int context, long[] budgets, LongAccumulator tokens, LongAccumulator harvested,
      LongAccumulator truncated) {
    this.model = model;
    this.site = site;
    this.conf = conf;
    this.textColumn = textColumn;
    this.context = context;
    this.budgets = budgets;
    this.tokens = tokens;
    this.harvested = harvested;
    this.truncated = truncated;
  }

  @Override
  public Iterator<Row> call(Integer partition, Iterator<Tuple2<Long, HarvestDoc>> docs) {
    long budget = budgets == null ? -1 : budgets[partition];
    if (budget == 0 || !docs.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    Configuration c = conf.value().value();
    OnnxActivationModel m = HarvestModels.get(model, site, c);
    return new Iterator<>() {
      private long left = budget < 0 ? Long.MAX_VALUE : budget;
      private final List<Row> buffer = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        while (next == buffer.size() && left > 0 && docs.hasNext()) {
          buffer.clear();
          next = 0;
          fill();
        }
        return next < buffer.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffer.get(next++);
      }

      private void fill() {
        List<Tuple2<Long, HarvestDoc>> chunk = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long chars = 0;
        while (docs.hasNext() && chunk.size() < CHUNK_TEXTS && chars < CHUNK_CHARS) {
          Tuple2<Long, HarvestDoc> d = docs.next();
          String text = d._2().text();
          if (text == null) {
            throw Errors.invalidInput("the text column '" + textColumn + "' is null in document "
                + d._1() + " (its 0-based row in input order)", "--text-column " + textColumn,
                "drop or fill the rows without text");
          }
          chunk.add(d);
          texts.add(text);
          chars += text.length();
        }
        List<TokenActivations> acts = m.activations(texts);
        for (int i = 0; i < chunk.size() && left > 0; i++) {
          TokenActivations a = acts.get(i);
          Object[] meta = chunk.get(i)._2().metadata();
          int n = (int) Math.min(a.size(), left);
          for (int t = 0; t < n; t++) {
            Object[] values = new Object[5 + meta.length];
            values[0] = chunk.get(i)._1();
            values[1] = a.positions()[t];
            values[2] = a.tokens()[t];
            values[3] = a.context(t, context);
            values[4] = java.util.Arrays.copyOfRange(a.values(), t * a.width(), (t + 1) * a.width());
            System.arraycopy(meta, 0, values, 5, meta.length);
            buffer.add(RowFactory.create(values));
          }
          left -= n;
          tokens.add(n);
          harvested.add(n > 0 ? 1 : 0);
          truncated.add(a.truncated() ? 1 : 0);
        }
      }
    };
  }
}
