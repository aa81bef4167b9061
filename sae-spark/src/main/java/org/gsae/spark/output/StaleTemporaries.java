package org.gsae.spark.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.gsae.core.io.AtomicDirectoryWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the hidden temporaries a killed run left beside the outputs it writes
 * ({@code .<name>.tmp-<uuid>} being written, {@code .<name>.old-<uuid>} moved aside to be
 * replaced). Only a run that holds the output's {@link OutputLock} calls this, which proves no
 * live run is writing them, and only for names it writes itself. A {@code .<name>.old-*} whose
 * {@code <name>} is missing is the last good copy (the run died between its two renames): it is
 * renamed back into place, never deleted.
 */
public final class StaleTemporaries {
  private static final Logger LOG = LoggerFactory.getLogger(StaleTemporaries.class);

  private StaleTemporaries() {}

  /**
   * @param dir   the directory holding the outputs (absent: nothing to do)
   * @param owned which output names (the {@code <name>} in {@code .<name>.tmp-*}) the caller writes
   * @return the entries removed or restored
   */
  public static List<Path> clean(FileSystem fs, Path dir, Predicate<String> owned) {
    List<Path> done = new ArrayList<>();
    FileStatus[] entries;
    try {
      if (!fs.exists(dir)) {
        return done;
      }
      entries = fs.listStatus(dir);
    } catch (IOException e) {
      LOG.warn("could not list {} for stale temporaries: {}", dir, e.toString());
      return done;
    }
    for (FileStatus e : entries) {
      String name = e.getPath().getName();
      if (!AtomicDirectoryWriter.isTemporary(name)) {
        continue;
      }
      boolean old = name.contains(".old-");
      String target = name.substring(1, name.lastIndexOf(old ? ".old-" : ".tmp-"));
      if (!owned.test(target)) {
        continue;
      }
      Path targetPath = new Path(dir, target);
      try {
        if (old && !fs.exists(targetPath)) {
          if (fs.rename(e.getPath(), targetPath)) {
            LOG.warn("restored {} from {}, left by a run that died while replacing it", targetPath,
                name);
            done.add(e.getPath());
          }
          continue;
        }
        if (fs.delete(e.getPath(), true)) {
          LOG.info("removed {}, left by a run that was killed", e.getPath());
          done.add(e.getPath());
        }
      } catch (IOException ex) {
        LOG.warn("could not remove the stale temporary {}: {}", e.getPath(), ex.toString());
      }
    }
    return done;
  }
}
