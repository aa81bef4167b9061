package org.gsae.spark.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.gsae.core.error.Errors;
import org.gsae.core.io.HadoopFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run owns its output: a lock file {@code .<output name>.gsae-lock} beside it
 * ({@code train} locks {@code output.path}; {@code analyze}, {@code encode} and {@code shuffle}
 * their {@code --output}), created atomically (create-if-absent, which HDFS and local disks
 * guarantee), holding the owner (user, host, process, start time), and kept alive by a
 * heartbeat that refreshes its modification time every {@value #HEARTBEAT_SECONDS} seconds. A
 * second run into the same output is refused, naming the owner. Holding the lock is also what
 * proves a leftover temporary of that output dead ({@link StaleTemporaries}).
 *
 * <p>A lock is stale, and the next run takes it over with a warning, when its owner ran on
 * this host and is no longer running (killed with {@code kill -9}), or when its heartbeat is
 * older than {@value #STALE_SECONDS} seconds (an owner on another host that died). So a crash
 * never blocks a resume for long. The lock lives beside the output, not inside it, so a run
 * that fails before writing anything leaves no output directory behind.
 *
 * <p>On an object store without atomic create-if-absent (S3A) two runs started within the
 * same second may both get the lock; run one job per output path there.
 */
public final class OutputLock implements AutoCloseable {
  static final long HEARTBEAT_SECONDS = 10;
  static final long STALE_SECONDS = 60;
  private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path lock;
  private final ScheduledExecutorService heartbeat;
  private final Runnable onShutdown = this::release;

  private OutputLock(FileSystem fs, Path lock) {
    this.fs = fs;
    this.lock = lock;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gsae-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleAtFixedRate(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS,
        TimeUnit.SECONDS);
    // A run stopped by SIGTERM or Ctrl-C releases its lock too (before Hadoop closes its file
    // systems, whose own hook has a lower priority); only kill -9 leaves it to go stale.
    ShutdownHookManager.get().addShutdownHook(onShutdown, FileSystem.SHUTDOWN_HOOK_PRIORITY + 1);
  }

  /**
   * What every command that writes does before any work: refuses an output that overlaps the
   * input ({@link Overlap}), probes that the output can be written ({@link WriteProbe}), takes
   * the output's lock, and removes the temporaries a killed run left beside it
   * ({@link StaleTemporaries}).
   *
   * @return the lock, to close when the command is done
   */
  public static OutputLock claim(Configuration conf, String inputKey, String input,
      String outputKey, String output) {
    Overlap.refuse(conf, inputKey, input, outputKey, output);
    return claim(conf, outputKey, output);
  }

  /**
   * {@link #claim(Configuration, String, String, String, String)} for a command whose inputs
   * may hold its output (a report inside the run it describes): the caller checks that the
   * output does not hold its inputs.
   */
  public static OutputLock claim(Configuration conf, String outputKey, String output) {
    WriteProbe.requireWritable(conf, outputKey, output);
    FileSystem fs = HadoopFiles.fileSystem(new Path(output), conf);
    Path out = fs.makeQualified(new Path(output));
    OutputLock lock = acquire(fs, out, outputKey);
    StaleTemporaries.clean(fs, out.getParent(), out.getName()::equals);
    return lock;
  }

  /** The lock file of an output directory. */
  static Path lockFile(Path out) {
    return new Path(out.getParent(), "." + out.getName() + ".gsae-lock");
  }

  /**
   * Takes the lock of {@code out} (qualified).
   *
   * @param key the option or key that named {@code out}, for messages ({@code output.path})
   * @throws org.gsae.core.error.GsaeException USAGE naming the owner when another live run holds
   *     it; IO when the lock cannot be written
   */
  static OutputLock acquire(FileSystem fs, Path out, String key) {
    Path lock = lockFile(out);
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (!fs.exists(lock.getParent())) {
          fs.mkdirs(lock.getParent());
        }
        try (OutputStream o = fs.create(lock, false)) {
          o.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(owner(out)));
        }
        return new OutputLock(fs, lock);
      } catch (FileAlreadyExistsException e) {
        takeOverIfStale(fs, lock, out, key);
      } catch (IOException e) {
        if (HadoopFiles.exists(fs, lock)) {
          takeOverIfStale(fs, lock, out, key);
        } else {
          throw Errors.io("creating the run lock " + lock.getName(), lock.toString(), e);
        }
      }
    }
    throw Errors.usage("another gsae run took the lock of " + key + " while this one was taking"
        + " over a stale lock", out.toString(),
        "wait for that run to finish, or use another " + key);
  }

  /** Deletes a stale lock; throws naming the owner when it is alive. */
  private static void takeOverIfStale(FileSystem fs, Path lock, Path out, String key) {
    FileStatus st;
    JsonNode owner;
    try {
      st = fs.getFileStatus(lock);
      owner = read(fs, lock);
    } catch (FileNotFoundException e) {
      return;   // released meanwhile: try again
    } catch (IOException e) {
      throw Errors.io("reading the run lock " + lock.getName(), lock.toString(), e);
    }
    long ageSeconds = (System.currentTimeMillis() - st.getModificationTime()) / 1000;
    boolean ownerGone = ownerDeadOnThisHost(owner);
    if (ageSeconds <= STALE_SECONDS && !ownerGone) {
      throw Errors.usage(key + " is in use by another gsae run (" + describe(owner)
          + ", last heartbeat " + ageSeconds + " s ago)", out.toString(), "wait for that run to"
          + " finish, or use another " + key + "; a lock left by a run killed on another host"
          + " expires " + STALE_SECONDS + " s after its last heartbeat (lock file " + lock + ")");
    }
    LOG.warn("taking over the lock of {}: its owner ({}) {}", out, describe(owner), ownerGone
        ? "is no longer running on this host" : "sent no heartbeat for " + ageSeconds + " s");
    try {
      FileStatus again = fs.getFileStatus(lock);
      if (again.getModificationTime() == st.getModificationTime()) {
        fs.delete(lock, false);
      }
    } catch (FileNotFoundException e) {
      // gone already
    } catch (IOException e) {
      throw Errors.io("removing a stale run lock", lock.toString(), e);
    }
  }

  private static Map<String, Object> owner(Path out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output_path", out.toString());
    m.put("user", System.getProperty("user.name"));
    m.put("host", localHost());
    m.put("pid", ManagementFactory.getRuntimeMXBean().getPid());
    m.put("started_at", Instant.now().toString());
    return m;
  }

  /** The lock's owner record; an empty object when it cannot be parsed. */
  private static JsonNode read(FileSystem fs, Path lock) throws IOException {
    try (InputStream in = fs.open(lock)) {
      return JSON.readTree(in.readNBytes(1 << 16));
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static String describe(JsonNode n) {
    return "user " + n.path("user").asText("?") + " on " + n.path("host").asText("?")
        + ", pid " + n.path("pid").asText("?") + ", started " + n.path("started_at").asText("?");
  }

  /**
   * Whether the owner ran on this host and its process is gone (killed with {@code kill -9},
   * or crashed): then its lock is stale at once, without waiting for the heartbeat to age.
   */
  private static boolean ownerDeadOnThisHost(JsonNode owner) {
    if (!owner.path("pid").canConvertToLong()
        || !localHost().equals(owner.path("host").asText(null))) {
      return false;
    }
    long pid = owner.path("pid").asLong();
    return pid != ProcessHandle.current().pid()
        && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private void beat() {
    try {
      fs.setTimes(lock, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not refresh the run lock {}: {}", lock, e.toString());
    }
  }

  /** Stops the heartbeat and deletes the lock. */
  @Override
  public void close() {
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(onShutdown);
    }
    release();
  }

  private void release() {
    heartbeat.shutdownNow();
    try {
      fs.delete(lock, false);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete the run lock {}: {}", lock, e.toString());
    }
  }
}
