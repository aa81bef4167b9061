package org.gsae.spark.store;

import static org.gsae.spark.store.StoreFixtures.FLOATS;
import static org.gsae.spark.store.StoreFixtures.rows;
import static org.gsae.spark.store.StoreFixtures.schema;
import static org.gsae.spark.store.StoreFixtures.spark;
import static org.gsae.spark.store.StoreFixtures.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.rdd.RDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * Packing tasks prefer the hosts that store their rows' bytes, as the storage reports them:
 * a file system whose blocks are 100 bytes, block {@code k} of file {@code F} on host
 * {@code F-k}, against hand-worked offsets.
 */
class RangeLocationsTest {
  /** The local file system, but with 100-byte blocks on made-up hosts. */
  public static final class BlockHosts extends RawLocalFileSystem {
    static final String SCHEME = "blockhosts";

    @Override
    public URI getUri() {
      return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public BlockLocation[] getFileBlockLocations(FileStatus file, long start, long len) {
      String name = file.getPath().getName().replaceFirst("\\..*$", "");
      long block = start / 100;
      return new BlockLocation[] {new BlockLocation(new String[] {name + ":9866"},
          new String[] {name + "-" + block}, block * 100, 100)};
    }
  }

  @TempDir
  Path tmp;

  private static FileStatus status(String name, long len) {
    return new FileStatus(len, false, 1, 100, 0,
        new org.apache.hadoop.fs.Path(BlockHosts.SCHEME + ":/x/" + name + ".parquet"));
  }

  private static Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("fs." + BlockHosts.SCHEME + ".impl", BlockHosts.class.getName());
    conf.setBoolean("fs." + BlockHosts.SCHEME + ".impl.disable.cache", true);
    return conf;
  }

  @Test
  void givenRanges_thenTheBlockOfTheMiddleRowOfTheFileWithMostRowsIsPreferred() {
    // f0: rows [0, 10), 1000 bytes; f1: empty; f2: rows [10, 40), 3000 bytes.
    FileTable files = new FileTable(List.of("blockhosts:/x/f0.parquet",
        "blockhosts:/x/f1.parquet", "blockhosts:/x/f2.parquet"), new long[] {10, 0, 30});
    RangeLocations at = new RangeLocations(files,
        List.of(status("f0", 1000), status("f1", 0), status("f2", 3000)), conf());
    // Rows 0-9 of f0: the middle, 5 of 10 rows, is byte 500, block 5.
    assertEquals(List.of("f0-5"), at.hosts(0, 10));
    // 5 rows of f0, 15 of f2 (its rows 0-14): middle 7.5 of 30 rows, byte 750.
    assertEquals(List.of("f2-7"), at.hosts(5, 25));
    // 2 rows each: the first file wins the tie; rows 8-9 of f0, middle 9 of 10, byte 900.
    assertEquals(List.of("f0-9"), at.hosts(8, 12));
    // The last row of f2: middle 29.5 of 30, byte 2950.
    assertEquals(List.of("f2-29"), at.hosts(39, 40));
    assertEquals(List.of(), at.hosts(7, 7));
  }

  @Test
  void givenLocalFiles_thenNoPreference() {
    String dir = tmp.resolve("local").toString();
    writeFile(dir + "/a.parquet", schema("activation", FLOATS), rows(0, 5, 3, FLOATS));
    try (ActivationStore store = ActivationStore.open(spark(), InputConfig.of(dir));
         PackedStore packed = store.pack(new PackOptions(2, 4))) {
      for (int p = 0; p < 2; p++) {
        assertEquals(List.of(), preferred(packed, p));
      }
    }
  }

  @Test
  void givenAStoreWithBlockLocations_whenPacked_thenEachPartitionPrefersItsFilesHosts() {
    spark().sparkContext().hadoopConfiguration().set("fs." + BlockHosts.SCHEME + ".impl",
        BlockHosts.class.getName());
    String dir = tmp.resolve("located").toString();
    writeFile(dir + "/a.parquet", schema("activation", FLOATS), rows(0, 6, 3, FLOATS));
    writeFile(dir + "/b.parquet", schema("activation", FLOATS), rows(6, 6, 3, FLOATS));
    try (ActivationStore store = ActivationStore.open(spark(),
            InputConfig.of(BlockHosts.SCHEME + "://" + dir));
         PackedStore packed = store.pack(new PackOptions(2, 4))) {
      assertEquals(12, packed.validRows());
      for (int p = 0; p < 2; p++) {
        // Partition p is file p's 6 rows; their middle is row 3 of 6, half the file's length.
        long len = new java.io.File(dir + (p == 0 ? "/a.parquet" : "/b.parquet")).length();
        assertEquals(List.of((p == 0 ? "a-" : "b-") + (len / 2 / 100)), preferred(packed, p));
      }
    }
  }

  /** The preferred hosts of the packing task of partition {@code p} (the blocks' parent). */
  private static List<String> preferred(PackedStore packed, int p) {
    RDD<?> tasks = packed.blocks().rdd().dependencies().head().rdd();
    return new ArrayList<>(JavaConverters.seqAsJavaListConverter(
        tasks.preferredLocations(tasks.partitions()[p])).asJava());
  }
}
