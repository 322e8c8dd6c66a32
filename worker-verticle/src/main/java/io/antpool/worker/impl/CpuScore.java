package io.antpool.worker.impl;

/**
 * A relative single-core speed, measured once per JVM at start, so the scheduler can prefer faster workers as
 * the original AntPool did. The figure is millions of simple integer and floating point steps per second;
 * only comparisons between workers matter. It is the best of several short samples: other load on the machine
 * can only slow a sample down, so the fastest one is the closest to the core's real speed.
 */
public final class CpuScore {
  private static volatile double measured = -1;

  private CpuScore() {
  }

  /** Measures on first call (about 200 ms of one core); later calls return the same figure. */
  public static synchronized double get() {
    if (measured < 0) {
      measure(50); // warm the JIT so the figure reflects compiled code
      double best = 0;
      for (int i = 0; i < 6; i++) {
        best = Math.max(best, measure(25));
      }
      measured = best;
    }
    return measured;
  }

  private static double measure(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    long steps = 0;
    long x = 88172645463325252L;
    double acc = 0;
    long start = System.nanoTime();
    long now;
    do {
      for (int i = 0; i < 10_000; i++) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        acc += Math.sqrt((double) (x & 0xFFFF));
      }
      steps += 10_000;
      now = System.nanoTime();
    } while (now < deadline);
    if (acc == 42.0 && x == 0) {
      System.out.print(""); // keep the loop observable so the JIT cannot drop it
    }
    double seconds = (now - start) / 1e9;
    return Math.round(steps / seconds / 1e4) / 100.0;
  }
}
