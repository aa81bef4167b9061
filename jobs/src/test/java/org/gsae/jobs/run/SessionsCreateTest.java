package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** One real session: the config's master is used when nothing else names one. */
class SessionsCreateTest {

  @Test
  void givenAConfiguredMaster_whenCreated_thenTheSessionRunsThereWithoutAUi() {
    // Surefire sets spark.ui.enabled=false as a system property; no spark.master is set.
    SparkSession s = Sessions.create("gsae sessions test", Optional.of("local[1]"));
    try {
      assertEquals("local[1]", s.sparkContext().master());
      assertEquals("gsae sessions test", s.sparkContext().appName());
      assertTrue(s.sparkContext().uiWebUrl().isEmpty(), "no web UI");
      assertEquals(3L, s.range(3).count());
    } finally {
      s.stop();
    }
  }
}
