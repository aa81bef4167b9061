package org.gsae.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.spark.SparkException;
import org.gsae.core.error.ConfigException;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.Errors;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void givenEachKindOfFailure_whenMapped_thenTheDocumentedExitCode() {
    assertEquals(2, Failures.exitCode(new ConfigException(List.of("a", "b"))));
    assertEquals(2, Failures.exitCode(Errors.usage("p", "w", "f")));
    assertEquals(3, Failures.exitCode(Errors.invalidInput("p", "w", "f")));
    assertEquals(4, Failures.exitCode(Errors.io("reading", "/x", null)));
    assertEquals(1, Failures.exitCode(new NullPointerException()));
    assertEquals(4, Failures.exitCode(new UncheckedIOException(new IOException("gone"))));
    assertEquals(4, Failures.exitCode(new SparkException("job failed", new IOException("gone"))));
  }

  @Test
  void givenAGsaeExceptionDeepInTheCauseChain_whenMapped_thenItDecides() {
    Exception deep = new RuntimeException("outer",
        new SparkException("Job aborted", new IllegalStateException("task",
            Errors.invalidInput("bad row 9", "f.parquet", "fix it"))));
    assertEquals(ErrorCode.INVALID_INPUT, Failures.errorCode(deep));
    assertTrue(Failures.message(deep).startsWith("bad row 9 (at f.parquet)"),
        Failures.message(deep));
  }

  @Test
  void givenACyclicCauseChain_whenMapped_thenItTerminates() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertEquals(1, Failures.exitCode(a));
    assertEquals("RuntimeException: a", Failures.message(a));
  }

  @Test
  void givenLongOrMultiLineMessages_whenShown_thenOneBoundedLine() {
    String msg = Failures.message(new IllegalArgumentException("x".repeat(5000)));
    assertTrue(msg.length() <= Failures.MAX_MESSAGE + "...".length());
    assertEquals("a b c", Failures.oneLine("a\r\n  b\nc\n"));
  }
}
