package org.gsae.spark.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EuroparlTextTest {
  @Test
  void theCountsTheDemoRestsOnAreWhatTheFileHolds() {
    List<String> sentences = EuroparlText.sentences(Integer.MAX_VALUE);
    assertEquals(EuroparlText.SENTENCES, sentences.size());
    assertEquals(EuroparlText.PASSAGES, EuroparlText.passages(Integer.MAX_VALUE).size());
    for (String s : sentences) {
      int words = s.split(" ").length;
      assertTrue(words >= 6 && words <= 60, s);
      assertTrue(Character.isUpperCase(s.charAt(0)) && ".!?".indexOf(s.charAt(s.length() - 1)) >= 0, s);
    }
    assertEquals(sentences.subList(0, 10), EuroparlText.sentences(10));
    assertEquals("All we want to do is to increase the European added value here.", sentences.get(0));
  }

  @Test
  void englishIsToldFromTheOtherLanguagesByItsCommonestWords() {
    assertTrue(EuroparlText.isEnglish("The report of the committee and the vote to follow."));
    assertFalse(EuroparlText.isEnglish("Istituzioni europee proteggerlo in tutti i campi."));
    assertFalse(EuroparlText.isEnglish("Det är fortfarande en korrekt beskrivning av situationen."));
  }
}
