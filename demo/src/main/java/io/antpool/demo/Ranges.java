package io.antpool.demo;

import java.util.ArrayList;
import java.util.List;

/** The arithmetic of demo1: splitting 1..n into ranges and summing a range the slow way, on purpose. */
public final class Ranges {
  private Ranges() {
  }

  /** Sums from..to (inclusive) by adding one number at a time: a CPU-bound task. */
  public static long sum(long from, long to) {
    long s = 0;
    for (long i = from; i <= to; i++) {
      s += i;
    }
    return s;
  }

  /** n(n+1)/2, computed without overflow for n up to about 6e9. */
  public static long expectedSum(long n) {
    return n % 2 == 0 ? (n / 2) * (n + 1) : n * ((n + 1) / 2);
  }

  /** Splits 1..n into {@code parts} consecutive ranges {from, to} of nearly equal length. */
  public static List<long[]> split(long n, int parts) {
    List<long[]> ranges = new ArrayList<>(parts);
    long from = 1;
    for (int i = 0; i < parts; i++) {
      long to = i == parts - 1 ? n : from + n / parts - 1;
      ranges.add(new long[] {from, to});
      from = to + 1;
    }
    return ranges;
  }
}
