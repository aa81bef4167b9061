package org.gsae.spark.harvest;

import java.io.Serializable;

/**
 * A text and its metadata values (the input's other columns, in schema order), as shuffled to
 * put the texts into contiguous doc-index ranges. Registered with Kryo
 * ({@link org.gsae.spark.GsaeKryoRegistrator}) to travel with Java serialization.
 */
record HarvestDoc(String text, Object[] metadata) implements Serializable {}
