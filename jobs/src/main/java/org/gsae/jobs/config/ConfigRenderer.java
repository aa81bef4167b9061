package org.gsae.jobs.config;

import com.typesafe.config.ConfigUtil;
import java.util.Map;

/**
 * Writes a {@link JobConfig} back as flat HOCON ({@code key = value}, one per line, in
 * {@link ConfigKeys} order) that {@link ConfigLoader} reads back to an equal config. Used by
 * {@code train --dry-run} and for the config recorded with a model.
 */
public final class ConfigRenderer {
  private ConfigRenderer() {}

  /** Flat HOCON for {@code c}; keys left unset are omitted. */
  public static String toHocon(JobConfig c) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : c.asKeyValues().entrySet()) {
      Object v = e.getValue();
      String text = v instanceof String s ? ConfigUtil.quoteString(s) : String.valueOf(v);
      sb.append(e.getKey()).append(" = ").append(text).append('\n');
    }
    return sb.toString();
  }
}
