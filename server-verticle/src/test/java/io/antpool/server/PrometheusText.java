package io.antpool.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed scrape in the Prometheus text exposition format (version 0.0.4): {@code # TYPE} lines give each
 * metric family's type; every other non-comment line is a sample {@code name{label="value",...} value
 * [timestamp]}. Strict: a line that is not of that form fails the parse, so a malformed scrape fails the test.
 */
final class PrometheusText {
  /** One sample: a series name (with its {@code _total}, {@code _bucket}, ... suffix), its labels, its value. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private final List<Sample> samples = new ArrayList<>();
  private final Map<String, String> types = new HashMap<>();

  private PrometheusText() {
  }

  static PrometheusText parse(String text) {
    PrometheusText parsed = new PrometheusText();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        parsed.parseLine(line);
      } catch (RuntimeException e) {
        throw new AssertionError("line " + lineNo + " of the scrape is not Prometheus text (" + e.getMessage()
            + "): " + line, e);
      }
    }
    return parsed;
  }

  private void parseLine(String line) {
    if (line.startsWith("#")) {
      String[] words = line.split(" ", 4);
      if (words.length >= 4 && words[1].equals("TYPE")) {
        types.put(words[2], words[3].trim());
      }
      return;
    }
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i)) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("no metric name");
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = parseLabels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("no space before the value");
    }
    String[] rest = line.substring(i + 1).trim().split(" ");
    if (rest.length > 2) {
      throw new IllegalArgumentException("more than a value and a timestamp after the labels");
    }
    samples.add(new Sample(name, labels, parseValue(rest[0])));
  }

  private static boolean isNameChar(char c, int position) {
    return Character.isLetter(c) || c == '_' || c == ':' || (position > 0 && Character.isDigit(c));
  }

  /** Parses {@code a="x",b="y"}} from {@code i}; returns the position after the closing brace. */
  private static int parseLabels(String line, int i, Map<String, String> labels) {
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String label = line.substring(i, eq);
      if (line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("label " + label + " has no quoted value");
      }
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; line.charAt(j) != '"'; j++) {
        char c = line.charAt(j);
        if (c == '\\') {
          char escaped = line.charAt(++j);
          value.append(escaped == 'n' ? '\n' : escaped);
        } else {
          value.append(c);
        }
      }
      labels.put(label, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** The declared type of metric family {@code family} ({@code counter}, {@code gauge}, ...), or null. */
  String type(String family) {
    return types.get(family);
  }

  List<Sample> samples(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  boolean has(String name) {
    return !samples(name).isEmpty();
  }

  /** Whether some sample's name starts with {@code prefix}. */
  boolean hasPrefix(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels}. */
  double value(String name, Map<String, String> labels) {
    List<Sample> matching = samples(name).stream()
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " samples named " + name + " with labels " + labels + ": "
          + samples(name));
    }
    return matching.get(0).value();
  }

  double value(String name) {
    return value(name, Map.of());
  }
}
