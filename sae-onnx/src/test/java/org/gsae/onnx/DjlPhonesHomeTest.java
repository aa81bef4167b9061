package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The control of {@link TextTokenizerOfflineTest}: in a JVM where nobody set DJL's offline
 * settings (this module's tests do not reuse forks), creating a tokenizer straight through DJL
 * tries to connect, and {@link NoNetwork} sees it (and refuses it). If DJL stops calling home,
 * this test fails and the offline test's claim should be re-examined, not deleted.
 */
class DjlPhonesHomeTest {
  static final long WAIT_MS = 3000;

  @AfterAll
  static void uninstall() {
    NoNetwork.uninstall();
  }

  @Test
  void withoutTheSettingsDjlTriesToConnect() throws Exception {
    assumeTrue(System.getenv("OPT_OUT_TRACKING") == null && System.getenv("DJL_OFFLINE") == null
        && System.getProperty("OPT_OUT_TRACKING") == null, "DJL's offline settings are set outside");
    byte[] json = Models.files("minilm-l6").tokenizer();
    NoNetwork watch = NoNetwork.install();
    try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
        Map.of())) {
      t.encode("online");
    } catch (SecurityException refused) {
      // DJL 0.38 makes the call while creating the tokenizer, and does not catch the refusal.
    }
    long until = System.currentTimeMillis() + WAIT_MS;
    while (watch.attempts().isEmpty() && System.currentTimeMillis() < until) {
      Thread.sleep(50);
    }
    assertFalse(watch.attempts().isEmpty(), "DJL made no connection attempt");
    System.out.println("DJL tried to connect to " + watch.attempts());
  }
}
