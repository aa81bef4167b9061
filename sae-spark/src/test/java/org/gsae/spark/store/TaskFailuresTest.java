package org.gsae.spark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.spark.SparkException;
import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.Errors;
import org.gsae.core.error.GsaeException;
import org.junit.jupiter.api.Test;

class TaskFailuresTest {
  private final GsaeException invalid = Errors.invalidInput(
      "column 'activation' has NaN at element 3", "row 17 of file:/s/b.parquet, row_id 41",
      InvalidRows.FIX);

  @Test
  void givenJavaSerialisation_thenCodeMessageAndPartsSurvive() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(invalid);
    }
    GsaeException copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (GsaeException) in.readObject();
    }
    assertEquals(ErrorCode.INVALID_INPUT, copy.code());
    assertEquals(invalid.getMessage(), copy.getMessage());
    assertEquals(invalid.where(), copy.where());
    assertEquals(invalid.fix(), copy.fix());
  }

  @Test
  void givenSparkWrappers_thenOurExceptionIsFound() {
    Exception udf = new SparkException("[FAILED_EXECUTE_UDF] ...", invalid);
    Exception job = new SparkException("Job aborted due to stage failure: ...", udf);
    assertSame(invalid, TaskFailures.find(job).orElseThrow());
    assertSame(invalid, TaskFailures.find(invalid).orElseThrow());
    assertTrue(TaskFailures.find(new SparkException("other")).isEmpty());
    assertTrue(TaskFailures.find(null).isEmpty());
  }

  @Test
  void givenAFailingAction_thenOurExceptionIsRethrownWithTheSparkFailureSuppressed() {
    SparkException job = new SparkException("Job aborted", invalid);
    GsaeException thrown = assertThrows(GsaeException.class,
        () -> TaskFailures.rethrowing(() -> sneaky(job)));
    assertSame(invalid, thrown);
    assertSame(job, thrown.getSuppressed()[0]);

    SparkException other = new SparkException("disk full");
    SparkException rethrown = assertThrows(SparkException.class,
        () -> TaskFailures.rethrowing(() -> sneaky(other)));
    assertSame(other, rethrown);
  }

  /** Throws a checked exception undeclared, as Scala code does. */
  private static <T> T sneaky(Exception e) {
    return TaskFailuresTest.<RuntimeException, T>throwAs(e);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception, T> T throwAs(Exception e) throws E {
    throw (E) e;
  }
}
