package io.antpool.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Routing tags: a worker carries a map of them, a task may require some. A tag is written {@code key=value}
 * ({@code region=eu}) or as a bare {@code key} ({@code gpu}), which is the key with the empty string as value.
 * A requirement {@code key=value} is met by a worker whose tag {@code key} has exactly that value; a bare
 * requirement {@code gpu} is met only by a bare tag {@code gpu}, so {@code gpu} and {@code gpu=a100} are
 * different tags. Keys and values are case-sensitive and trimmed of spaces.
 */
public final class Tags {
  private Tags() {
  }

  /**
   * Parses {@code key=value} or {@code key} into a one-entry map.
   *
   * @throws IllegalArgumentException for an empty key, with an example of the form expected
   */
  public static Map.Entry<String, String> parse(String tag) {
    String text = tag == null ? "" : tag.trim();
    int eq = text.indexOf('=');
    String key = (eq < 0 ? text : text.substring(0, eq)).trim();
    String value = eq < 0 ? "" : text.substring(eq + 1).trim();
    if (key.isEmpty()) {
      throw new IllegalArgumentException("tag \"" + tag + "\" has no key; write key=value (region=eu) or a bare"
          + " key (gpu)");
    }
    return Map.entry(key, value);
  }

  /** Parses several tags (see {@link #parse}); a later tag with the same key wins. */
  public static Map<String, String> parseAll(Collection<String> tags) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String tag : tags) {
      Map.Entry<String, String> e = parse(tag);
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  /** Whether {@code offered} meets every one of {@code required}. */
  public static boolean matches(Map<String, String> required, Map<String, String> offered) {
    for (Map.Entry<String, String> e : required.entrySet()) {
      if (!e.getValue().equals(offered.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** Tags as written on a command line: {@code region=eu, gpu}. */
  public static String format(Map<String, String> tags) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(e.getKey());
      if (!e.getValue().isEmpty()) {
        sb.append('=').append(e.getValue());
      }
    }
    return sb.toString();
  }
}
