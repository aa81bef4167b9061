package org.gsae.jobs.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.gsae.spark.store.OnInvalid;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values spelled as lower-case words ({@code fail}, {@code skip}, ...) for enums. */
final class WordConverters {
  private WordConverters() {}

  static <E extends Enum<E>> E parse(Class<E> type, String word) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(word.strip())) {
        return e;
      }
    }
    throw new TypeConversionException("expected one of " + words(type) + ", got '" + word + "'");
  }

  static <E extends Enum<E>> String words(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
  }

  /** {@code fail} or {@code skip}. */
  static final class OnInvalidWord implements ITypeConverter<OnInvalid> {
    @Override
    public OnInvalid convert(String value) {
      return parse(OnInvalid.class, value);
    }
  }

}
