package org.gsae.spark.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@code row_id} range's bytes live, so a packing task can run beside them (HDFS data
 * locality, which Spark's own file scan gives its tasks): the hosts of the storage block that
 * holds the middle of the range's share of the file with most of its rows, the byte offset
 * estimated from the row's position in that file. Stores without locality (local files, object
 * stores, which report {@code localhost}) give no preference. Driver side only.
 */
final class RangeLocations {
  private static final Logger LOG = LoggerFactory.getLogger(RangeLocations.class);

  private final FileTable files;
  private final List<FileStatus> statuses;
  private final Configuration conf;

  /** @param statuses the store's files as listed, in {@link FileTable} order */
  RangeLocations(FileTable files, List<FileStatus> statuses, Configuration conf) {
    if (statuses.size() != files.files()) {
      throw new IllegalArgumentException(statuses.size() + " statuses for " + files.files()
          + " files");
    }
    this.files = files;
    this.statuses = List.copyOf(statuses);
    this.conf = conf;
  }

  /** The preferred hosts for reading rows {@code [start, end)}; empty for none. */
  List<String> hosts(long start, long end) {
    if (start >= end) {
      return List.of();
    }
    int best = -1;
    long bestRows = 0;
    for (int f = files.fileOf(start); f < files.files() && files.firstRowId(f) < end; f++) {
      long from = Math.max(start, files.firstRowId(f));
      long to = Math.min(end, files.firstRowId(f) + files.rows(f));
      if (to - from > bestRows) {
        best = f;
        bestRows = to - from;
      }
    }
    FileStatus status = statuses.get(best);
    long from = Math.max(start, files.firstRowId(best)) - files.firstRowId(best);
    long offset = (long) ((from + bestRows / 2.0) / files.rows(best) * status.getLen());
    try {
      BlockLocation[] blocks = status.getPath().getFileSystem(conf)
          .getFileBlockLocations(status, Math.min(offset, Math.max(0, status.getLen() - 1)), 1);
      List<String> hosts = new ArrayList<>();
      if (blocks != null && blocks.length > 0) {
        for (String h : blocks[0].getHosts()) {
          if (!h.equals("localhost")) {
            hosts.add(h);
          }
        }
      }
      return hosts;
    } catch (IOException e) {
      LOG.debug("no block locations for {}: {}", status.getPath(), e.toString());
      return List.of();
    }
  }
}
