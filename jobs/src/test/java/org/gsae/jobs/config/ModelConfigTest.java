package org.gsae.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.gsae.core.error.ConfigException;
import org.gsae.core.model.Variant;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  @Test
  void givenAWidthOrAFactor_whenResolvedForDIn_thenTheDictionaryWidthFollows() {
    assertEquals(4096, new ModelConfig(4096, null, null, Variant.PAPER).dSae(768));
    assertEquals(6144, new ModelConfig(null, 8.0, null, Variant.PAPER).dSae(768));
    assertEquals(1152, new ModelConfig(null, 1.5, null, Variant.PAPER).dSae(768));
    // round half up: 0.5 * 3 = 1.5 -> 2
    assertEquals(2, new ModelConfig(null, 0.5, null, Variant.PAPER).dSae(3));
    assertEquals(8 * 10, ModelConfig.defaults().dSae(10));
  }

  @Test
  void givenAFactorThatRoundsToZero_whenResolved_thenAConfigErrorNamesTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ModelConfig(null, 0.01, null, Variant.PAPER).dSae(16));
    assertTrue(e.problems().get(0).contains("model.expansion_factor = 0.01 with d_in = 16"),
        e.problems().toString());
  }

  @Test
  void givenAWidthTooLargeForOneArray_whenResolved_thenAConfigErrorSaysSo() {
    // 2 * 65536 * 16384 = 2^31 parameters in W_enc and W_dec alone
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ModelConfig(16384, null, null, Variant.PAPER).dSae(65536));
    assertTrue(e.problems().get(0).contains("more than one Java array holds"));
    assertEquals(16383, new ModelConfig(16383, null, null, Variant.PAPER).dSae(65535));
  }

  @Test
  void givenBadValues_whenConstructed_thenAllProblemsAreReportedTogether() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new ModelConfig(0, null, " ", null));
    assertEquals(3, e.problems().size(), e.problems().toString());
    ConfigException f = assertThrows(ConfigException.class,
        () -> new ModelConfig(null, Double.NaN, null, Variant.PAPER));
    assertTrue(f.problems().get(0).contains("model.expansion_factor"));
    assertThrows(IllegalArgumentException.class, () -> ModelConfig.defaults().dSae(0));
  }
}
