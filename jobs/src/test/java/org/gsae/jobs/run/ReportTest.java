package org.gsae.jobs.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void givenEntries_whenRendered_thenValuesAreAlignedInOrder() {
    Report r = Report.of("train: done").with("model", "/runs/r1/model").with("steps", 5000);
    assertEquals("train: done\n  model  /runs/r1/model\n  steps  5000", r.render());
    assertEquals("t", Report.of("t").render());
    assertEquals(0, Report.of("t").entries().size(), "with() copies");
  }
}
