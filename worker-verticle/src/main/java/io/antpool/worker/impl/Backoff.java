package io.antpool.worker.impl;

/** Reconnection delays: 250 ms doubling up to a ceiling, reset after a successful registration. */
final class Backoff {
  private final long maxMillis;
  private int failures;

  Backoff(long maxMillis) {
    this.maxMillis = maxMillis;
  }

  long nextDelayMillis() {
    long delay = Math.min(maxMillis, 250L << Math.min(failures, 16));
    failures++;
    return delay;
  }

  int failures() {
    return failures;
  }

  void reset() {
    failures = 0;
  }
}
