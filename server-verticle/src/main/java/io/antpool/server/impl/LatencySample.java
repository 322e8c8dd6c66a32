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

  /** The {@code q} quantile (0..1) in milliseconds, by the nearest-rank method; 0 when nothing was recorded. */
  double quantileMillis(double q) {
    int n = (int) Math.min(seen, CAPACITY);
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(kept, n);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * n);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  void clear() {
    seen = 0;
  }
}
