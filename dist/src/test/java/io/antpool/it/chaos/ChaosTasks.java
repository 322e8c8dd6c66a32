package io.antpool.it.chaos;

import io.antpool.SerializableCallable;

/** Tasks whose value is known in advance, so a test can tell a right result from a wrong or misrouted one. */
public final class ChaosTasks {
  private ChaosTasks() {
  }

  /** The value task {@code i} must return: distinct for every {@code i}, so a result given to the wrong task shows. */
  public static long expected(int i) {
    return i * 1_000_003L + 17;
  }

  /**
   * Computes for about {@code millis} (CPU, no sleep, so a kill finds it running), then returns
   * {@link #expected expected(i)}.
   */
  public static SerializableCallable<Long> compute(int i, long millis) {
    return () -> {
      long end = System.nanoTime() + millis * 1_000_000L;
      long x = i;
      while (System.nanoTime() < end) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      return x == Long.MIN_VALUE + i ? -1 : expected(i); // x keeps the loop from being optimised away
    };
  }
}
