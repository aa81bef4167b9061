package org.gsae.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Creating and using the tokenizer opens no connection. Runs in its own JVM (this module's
 * tests do not reuse forks), so the tokenizer created here is DJL's first: its tracking call,
 * if any, would happen now. {@link DjlPhonesHomeTest} shows the same watch catches DJL's call
 * when the offline settings are missing.
 */
class TextTokenizerOfflineTest {
  @AfterAll
  static void uninstall() {
    NoNetwork.uninstall();
  }

  @Test
  void noConnectionIsAttempted() throws Exception {
    byte[] json = Models.files("minilm-l6").tokenizer(); // (logging's own host-name lookup)
    NoNetwork watch = NoNetwork.install();
    // The watch works: a name lookup is refused and recorded.
    assertThrows(SecurityException.class, () -> InetAddress.getByName("gsae.invalid"));
    assertEquals(List.of("gsae.invalid:-1"), watch.attempts());
    watch.clear();

    try (TextTokenizer t = new TextTokenizer(json, 512, "minilm-l6")) {
      assertEquals(List.of("[CLS]", "off", "##line", "[SEP]"), List.of(t.tokenize("offline").tokens()));
    }
    Thread.sleep(DjlPhonesHomeTest.WAIT_MS); // DJL's call is made from a background thread
    assertEquals(List.of(), watch.attempts());
  }
}
