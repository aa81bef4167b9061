package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gsae.core.error.ErrorCode;
import org.gsae.core.error.GsaeException;
import org.gsae.spark.store.InputConfig;
import org.gsae.spark.store.OnInvalid;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void givenEncodeOutputOverModelOrInput_whenValidated_thenBothClashesAreReported() {
    GsaeException e = assertThrows(GsaeException.class, () -> new EncodeOptions("/m/", "/m",
        "activation", OnInvalid.FAIL, "/m", false, false, 1));
    assertEquals(ErrorCode.USAGE, e.code());
    assertTrue(e.getMessage().contains("2 problems") && e.getMessage().contains("--model")
        && e.getMessage().contains("--input"), e.getMessage());
  }

  @Test
  void givenAnalyzeOutputInTheModelDirectory_whenValidated_thenItIsAllowed() {
    AnalyzeOptions a = new AnalyzeOptions("/m", "/acts", "x", OnInvalid.SKIP, "/m", 3, 8);
    assertEquals(new InputConfig("/acts", "x", OnInvalid.SKIP, "MEMORY_AND_DISK"), a.input());
  }

  @Test
  void givenBlankOrNonPositiveValues_whenValidated_thenEveryOptionIsNamed() {
    GsaeException e = assertThrows(GsaeException.class,
        () -> new AnalyzeOptions(" ", "", "", null, "", 0, -1));
    for (String opt : new String[] {"--model", "--input", "--column", "--output", "--on-invalid",
        "--top-k", "--batch-size"}) {
      assertTrue(e.getMessage().contains(opt), opt + " in " + e.getMessage());
    }
    GsaeException d = assertThrows(GsaeException.class,
        () -> new DemoOptions("", 0, 0, 0, 0, 0, 0, 1, true, false, -1));
    assertTrue(d.getMessage().contains("8 problems"), d.getMessage());
    GsaeException b = assertThrows(GsaeException.class,
        () -> new BenchOptions(65536, 16384, 1, 1, 0, 1, 0, 1, 0.1, null, 1, false, 1, 0));
    assertTrue(b.getMessage().contains("more parameters than one Java array holds"));
  }

  @Test
  void givenBenchDefaults_whenAskedForTheDenseFloor_thenTwoNmFlopsPerRow() {
    BenchOptions b = new BenchOptions(768, 6144, 4096, 2, 64, 10, 2, 1024, 0.1, null, 2, false, 1, 0);
    assertEquals(2.0 * 768 * 6144 * 4096, b.denseFloorFlopsPerStep());
  }
}
