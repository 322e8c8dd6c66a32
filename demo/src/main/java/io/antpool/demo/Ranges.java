package io.antpool.demo;

import io.antpool.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** The arithmetic of demo1: splitting 1..n into ranges and summing a range the slow way, on purpose. */
public final class Ranges {
  private Ranges() {
  }

  /** Numbers added between two progress reports: a few milliseconds of work. */
  private static final long BLOCK = 1L << 22;

  /**
   * Sums from..to (inclusive) by adding one number at a time: a CPU-bound task. It reports how many numbers it
   * has added after each block ({@link TaskContext}): on a worker the caller sees it; run here, the report goes
   * nowhere.
   */
  public static long sum(long from, long to) {
    TaskContext context = TaskContext.current();
    long count = to - from + 1;
    long s = 0;
    for (long start = from; start <= to; start += BLOCK) {
      long end = Math.min(to, start + BLOCK - 1);
      s += add(start, end);
      context.progress(end - from + 1, count);
    }
    return s;
  }

  /**
   * One block: a plain counted loop in a method of its own, which the JIT compiles as well as it did the whole sum
   * before there were reports (the same loop nested in {@link #sum} ran about three times slower).
   */
  private static long add(long from, long to) {
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
