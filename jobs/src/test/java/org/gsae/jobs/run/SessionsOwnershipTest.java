package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A command stops its session only if it created it. */
class SessionsOwnershipTest {

  @Test
  void givenNoLiveSession_whenOpenedAndClosed_thenTheCommandOwnsAndStopsIt() {
    SparkSession s;
    try (Sessions.JobSession job = Sessions.open("gsae ownership test", Optional.of("local[1]"))) {
      s = job.spark();
      assertTrue(job.owned());
    }
    assertTrue(s.sparkContext().isStopped());
  }

  @Test
  void givenALiveSession_whenOpenedAndClosed_thenItIsReusedAndLeftRunning() {
    SparkSession mine = SparkSession.builder().master("local[1]").appName("owner")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      try (Sessions.JobSession job = Sessions.open("gsae ownership test", Optional.empty())) {
        assertSame(mine, job.spark());
        assertFalse(job.owned());
      }
      assertFalse(mine.sparkContext().isStopped());
    } finally {
      mine.stop();
    }
  }
}
