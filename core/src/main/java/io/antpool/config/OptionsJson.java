package io.antpool.config;

import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * Strict reading of options objects from JSON: unknown keys and numbers of the wrong kind are refused with a
 * message naming the key, instead of being ignored or silently truncated.
 */
public final class OptionsJson {
  private OptionsJson() {
  }

  /** @throws IllegalArgumentException naming the first unknown key and listing the known ones */
  public static void requireKnownKeys(JsonObject json, Collection<String> known, String what) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown " + what + " option \"" + key + "\"; known options: "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  /** @throws IllegalArgumentException unless the value is absent or a whole number within int range */
  public static int intValue(JsonObject json, String key, int fallback) {
    long value = longValue(json, key, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("option \"" + key + "\" is " + value + ", out of range");
    }
    return (int) value;
  }

  /** @throws IllegalArgumentException unless the value is absent or a whole number within long range */
  public static long longValue(JsonObject json, String key, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger) {
      throw new IllegalArgumentException("option \"" + key + "\" is " + value + ", out of range");
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 9.0e15) {
      return n.longValue();
    }
    throw new IllegalArgumentException("option \"" + key + "\" must be a whole number, not " + describe(value));
  }

  /** @throws IllegalArgumentException unless the value is absent or a string */
  public static String stringValue(JsonObject json, String key, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("option \"" + key + "\" must be a string, not " + describe(value));
  }

  /** @throws IllegalArgumentException unless the value is absent or true/false */
  public static boolean booleanValue(JsonObject json, String key, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("option \"" + key + "\" must be true or false, not " + describe(value));
  }

  private static String describe(Object value) {
    return value instanceof String ? "the string \"" + value + "\"" : String.valueOf(value);
  }
}
