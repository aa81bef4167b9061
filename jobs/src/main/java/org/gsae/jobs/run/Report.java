package org.gsae.jobs.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a command prints to stdout when it succeeds: a title and named values in order
 * (paths written, steps run, final loss terms, ...). Immutable; {@link #with} returns a copy.
 *
 * @param title   first line, e.g. {@code train: done}
 * @param entries the named values, in print order
 */
public record Report(String title, List<Report.Entry> entries) {

  /** One named value of a report. */
  public record Entry(String name, String value) {
    public Entry {
      Objects.requireNonNull(name, "name");
      value = String.valueOf(value);
    }
  }

  public Report {
    Objects.requireNonNull(title, "title");
    entries = List.copyOf(entries);
  }

  /** An empty report with the given title. */
  public static Report of(String title) {
    return new Report(title, List.of());
  }

  /** A copy with {@code name = value} appended. */
  public Report with(String name, Object value) {
    List<Entry> e = new ArrayList<>(entries);
    e.add(new Entry(name, String.valueOf(value)));
    return new Report(title, e);
  }

  /** The title, then one {@code "  name  value"} line per entry with the values aligned. */
  public String render() {
    int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
    StringBuilder sb = new StringBuilder(title);
    for (Entry e : entries) {
      sb.append('\n').append("  ").append(e.name())
          .append(" ".repeat(width - e.name().length() + 2)).append(e.value());
    }
    return sb.toString();
  }
}
