package org.gsae.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Guards the build's second determinism run (execution {@code determinism-second-kernel} of
 * the parent pom): OpenBLAS picks its kernel from {@code OPENBLAS_CORETYPE} when the library
 * loads, so the forked test JVM must really have the variable the run is named after, and one
 * BLAS thread as in the first run (a lost variable would silently re-test the first kernel).
 */
@Tag("determinism")
class KernelEnvironmentTest {

  @Test
  void theSecondRunHasTheKernelItIsNamedAfter() {
    String expected = System.getProperty("gsae.expect.coretype", "");
    System.out.println("OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE")
        + (expected.isEmpty() ? " (first run: the environment's kernel)" : " (second run)"));
    if (!expected.isEmpty()) {
      assertEquals(expected, System.getenv("OPENBLAS_CORETYPE"), "OPENBLAS_CORETYPE of the second run");
    }
    assertEquals("1", System.getenv("OMP_NUM_THREADS"), "BLAS threads per test JVM");
  }
}
