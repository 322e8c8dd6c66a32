package io.antpool.server.impl;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A uniform random sample of the task latencies recorded since the last {@link #clear()} (reservoir sampling):
 * every latency has the same chance to be kept, however many there are, and recording allocates nothing.
 * Quantiles come from the sample, so they are exact up to {@value #CAPACITY} latencies and estimates beyond.
 */
final class LatencySample {
  private static final int CAPACITY = 4096;
  private final long[] kept = new long[CAPACITY];
  private long seen;

  void record(long nanos) {
    if (seen < CAPACITY) {
      kept[(int) seen] = nanos;
    } else {
      long slot = ThreadLocalRandom.current().nextLong(seen + 1);
      if (slot < CAPACITY) {
        kept[(int) slot] = nanos;
      }
    }
    seen++;
  }

  /** How many latencies were recorded since the last clear. */
  long count() {
    return seen;
  }

  /**
   * The {@code qs} quantiles (each 0..1) in milliseconds, in the order asked, by the nearest-rank method; all 0
   * when nothing was recorded. The sample is copied and sorted once for all of them: the summary line asks for
   * two, on the server's event loop, while tasks run.
   */
  double[] quantilesMillis(double... qs) {
    double[] millis = new double[qs.length];
    int n = (int) Math.min(seen, CAPACITY);
    if (n == 0) {
      return millis;
    }
    long[] sorted = Arrays.copyOf(kept, n);
    Arrays.sort(sorted);
    for (int i = 0; i < qs.length; i++) {
      int rank = (int) Math.ceil(qs[i] * n);
      millis[i] = sorted[Math.max(0, rank - 1)] / 1e6;
    }
    return millis;
  }

  void clear() {
    seen = 0;
  }
}
