package io.antpool.bench;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The final report: one row per figure, with its baseline and the ratio between them, then notes. */
final class ResultTable {
  private record Row(String figure, String antPool, String baseline, String ratio) {
  }

  private final Row header;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** A table headed "figure | AntPool | baseline | ratio". */
  ResultTable() {
    this("figure", "AntPool", "baseline", "ratio");
  }

  /** A table with other column titles; the columns keep their roles and alignment. */
  ResultTable(String figure, String antPool, String baseline, String ratio) {
    header = new Row(figure, antPool, baseline, ratio);
  }

  void add(String figure, String antPool, String baseline, String ratio) {
    rows.add(new Row(figure, antPool, baseline, ratio));
  }

  void note(String note) {
    notes.add(note);
  }

  void print(PrintStream out) {
    int w1 = header.figure.length();
    int w2 = header.antPool.length();
    int w3 = header.baseline.length();
    for (Row r : rows) {
      w1 = Math.max(w1, r.figure.length());
      w2 = Math.max(w2, r.antPool.length());
      w3 = Math.max(w3, r.baseline.length());
    }
    String format = "%-" + w1 + "s | %" + w2 + "s | %-" + w3 + "s | %s%n";
    String rule = "-".repeat(w1) + "-+-" + "-".repeat(w2) + "-+-" + "-".repeat(w3) + "-+-" + "-".repeat(36);
    out.printf(Locale.ROOT, format, header.figure, header.antPool, header.baseline, header.ratio);
    out.println(rule);
    for (Row r : rows) {
      out.printf(Locale.ROOT, format, r.figure, r.antPool, r.baseline, r.ratio);
    }
    out.println(rule);
    for (String n : notes) {
      out.println(n);
    }
  }

  /** A whole number with thousands separators. */
  static String count(double value) {
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  /** Milliseconds: three decimals below 10 ms (a microsecond shows), one below 1000, none above. */
  static String millis(double value) {
    double size = Math.abs(value);
    return String.format(Locale.ROOT, size < 10 ? "%.3f" : size < 1000 ? "%.1f" : "%,.0f", value);
  }

  /** Seconds with two decimals. */
  static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2f s", value);
  }

  /** A ratio with three significant digits, never in scientific notation. */
  static String ratio(double value) {
    if (!Double.isFinite(value)) {
      return "n/a";
    }
    if (value >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return new BigDecimal(value).round(new MathContext(3)).toPlainString();
  }
}
