package io.antpool.protocol.impl;

/** Reconnection delays: from a first delay, doubling up to a ceiling; reset after a successful connection. */
public final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private int failures;

  public Backoff(long firstMillis, long maxMillis) {
    this.firstMillis = firstMillis;
    this.maxMillis = maxMillis;
  }

  /** The delay before the next attempt; counts one more failure. */
  public long nextDelayMillis() {
    long delay = Math.min(maxMillis, firstMillis << Math.min(failures, 16));
    failures++;
    return delay;
  }

  /** Failures since the last reset. */
  public int failures() {
    return failures;
  }

  public void reset() {
    failures = 0;
  }
}
