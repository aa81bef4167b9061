package org.gsae.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gsae.core.error.Errors;

/**
 * The one Jackson set-up for gsae's JSON files (cfg.json, trainer_state.json, safetensors
 * headers, and through {@link #write} the jobs' markers and summaries). Parsing is strict because these files may come from anywhere: text must be valid
 * UTF-8, duplicate keys and trailing content are errors, and every failure names the file and
 * the line/column.
 */
public final class Json {
  /** Strict for reading, pretty for writing (cfg.json is read by people too). */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private static final TypeReference<LinkedHashMap<String, Object>> MAP_TYPE =
      new TypeReference<>() {};

  private Json() {}

  /**
   * Parses {@code bytes} as one JSON value.
   *
   * @param source the file, for messages
   * @param what   what the bytes are ("cfg.json", "safetensors header"), for messages
   */
  static JsonNode parse(byte[] bytes, String source, String what, String fix) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw Errors.invalidInput(what + " is not valid UTF-8 text", source, fix, e);
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw Errors.invalidInput(what + " is empty, expected a JSON object", source, fix);
      }
      return node;
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source
          : source + " (" + what + " line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw Errors.invalidInput("malformed JSON in " + what + ": " + e.getOriginalMessage(), where,
          fix, e);
    }
  }

  /** Serialises {@code value} as indented UTF-8 JSON. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  /** An object node as a plain map of JSON values (String, Integer/Long/BigInteger, Double, Boolean, List, Map, null). */
  static Map<String, Object> toMap(JsonNode object) {
    return Collections.unmodifiableMap(MAPPER.convertValue(object, MAP_TYPE));
  }

  /**
   * {@code map} exactly as it reads back after a trip through a JSON file: numbers become the
   * narrowest of Integer/Long/BigInteger or Double, records and enums become maps and strings.
   * Making values canonical up front is what lets a record holding the map compare equal to
   * itself after a save and load.
   *
   * @throws IllegalArgumentException if a value cannot be written as JSON
   */
  static Map<String, Object> canonical(Map<String, ?> map) {
    try {
      return Collections.unmodifiableMap(MAPPER.readValue(write(map), MAP_TYPE));
    } catch (IOException e) {
      throw new IllegalArgumentException("map does not survive a JSON round trip: " + e.getMessage(), e);
    }
  }
}
