package org.gsae.spark.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** summary.json never holds NaN or Infinity: an undefined number is null, at any depth. */
class SummaryJsonTest {

  @Test
  void givenNonFiniteNumbersAtAnyDepth_whenEncoded_thenTheyAreNull() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("gamma", Double.POSITIVE_INFINITY);
    inner.put("ok", 2.5f);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("topk_share", Double.NaN);
    m.put("fvu", 0.25);
    m.put("nested", inner);
    m.put("list", List.of(1.0, Double.NEGATIVE_INFINITY, Float.NaN));
    m.put("array", new double[] {Double.NaN, 3});
    String json = new String(SummaryJson.encode(m), StandardCharsets.UTF_8).replaceAll("\\s", "");
    assertEquals("{\"topk_share\":null,\"fvu\":0.25,\"nested\":{\"gamma\":null,\"ok\":2.5},"
        + "\"list\":[1.0,null,null],\"array\":[null,3.0]}", json);
  }
}
