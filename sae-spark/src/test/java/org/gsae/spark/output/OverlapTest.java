package org.gsae.spark.output;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

/** Which input/output pairs overlap, decided on qualified paths. */
class OverlapTest {
  private static final Configuration CONF = new Configuration();

  private static String refused(String in, String out) {
    GsaeException e = assertThrows(GsaeException.class,
        () -> Overlap.refuse(CONF, "input.path", in, "output.path", out));
    assertEquals(ErrorCode.USAGE, e.code());
    return e.getMessage();
  }

  @Test
  void sameInsideAndAroundAreRefused() {
    assertTrue(refused("/data/acts", "/data/acts/").contains("is the same location as"));
    assertTrue(refused("/data/acts", "file:///data/acts/run").contains("output.path = 'file:///data/acts/run' is inside input.path"));
    assertTrue(refused("/data/run/model", "/data/run").contains("input.path = '/data/run/model' is inside output.path"));
    assertTrue(refused("/data/x/../acts", "/data/acts/run").contains("is inside input.path"));
    assertTrue(refused("/data/acts/part-*.parquet", "/data/acts/run").contains("is inside input.path"));
    assertTrue(refused("/data/*/acts", "/data/other").contains("is inside input.path"),
        "a glob in a parent directory can match the output");
  }

  @Test
  void siblingsPrefixesOfNamesAndOtherFileSystemsAreAllowed() {
    assertDoesNotThrow(() -> Overlap.refuse(CONF, "input.path", "/data/acts", "output.path", "/data/acts-run"));
    assertDoesNotThrow(() -> Overlap.refuse(CONF, "input.path", "/data/acts", "output.path", "/data/runs/r1"));
    assertDoesNotThrow(() -> Overlap.refuse(CONF, "input.path", "/data/acts/*.parquet", "output.path", "/runs"));
  }

  @Test
  void globFreeIsTheDirectoryBeforeTheFirstWildcard() {
    assertEquals(new Path("/a/b"), Overlap.globFree("/a/b/c*/d"));
    assertEquals(new Path("/a/b/c"), Overlap.globFree("/a/b/c"));
    assertEquals(new Path("/"), Overlap.globFree("/{a,b}/c"));
  }
}
