package io.antpool.protocol.impl;

import java.util.function.LongSupplier;

/**
 * Coalesces signals into emissions, at most one per interval, without losing the last: a signal emits at once
 * when the previous emission is at least an interval old, and otherwise schedules one emission for the moment
 * it will be; signals meanwhile only wait for that emission. What is emitted (the latest value, the current
 * figures) is the caller's, read by {@code emit} when it runs. States:
 *
 * <pre>
 *   IDLE ──signal, interval passed──▶ emit ──▶ IDLE
 *   IDLE ──signal, too soon──▶ WAITING (one timer) ──timer──▶ emit ──▶ IDLE
 *   WAITING ──signal──▶ WAITING (nothing more scheduled)
 *   (any) ──flush──▶ emit now if a signal is waiting       (any) ──close──▶ CLOSED: nothing is emitted again
 * </pre>
 *
 * Thread-safe. {@code emit} runs under the throttle's lock, on the thread that signals, flushes, or runs the
 * timer: it must be quick (hand the work over, do not do it) and must not call the throttle.
 */
public final class Throttle {
  /** Runs {@code action} once, about {@code delayMillis} from now, on any thread. */
  @FunctionalInterface
  public interface Timer {
    void schedule(long delayMillis, Runnable action);
  }

  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Timer timer;
  private final Runnable emit;
  private boolean emittedOnce;
  private long lastEmitNanos;
  private boolean pending;
  private boolean timerSet;
  private boolean closed;

  /**
   * @param intervalMillis least time between two emissions, except those {@link #flush} forces
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  public Throttle(long intervalMillis, LongSupplier nanoClock, Timer timer, Runnable emit) {
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("a throttle's interval must be positive, not " + intervalMillis);
    }
    this.intervalNanos = intervalMillis * 1_000_000L;
    this.nanoClock = nanoClock;
    this.timer = timer;
    this.emit = emit;
  }

  /** Something changed: it is emitted now, or at the end of the interval. */
  public synchronized void signal() {
    if (closed) {
      return;
    }
    pending = true;
    if (!timerSet) {
      emitOrWait();
    }
  }

  /** Emits now, whatever the interval, if a signal is waiting. */
  public synchronized void flush() {
    if (!closed && pending) {
      emitNow();
    }
  }

  /** Nothing is emitted from now on; with {@code flushFirst}, a waiting signal is emitted first. */
  public synchronized void close(boolean flushFirst) {
    if (flushFirst) {
      flush();
    }
    closed = true;
    pending = false;
  }

  private void emitOrWait() {
    long wait = emittedOnce ? lastEmitNanos + intervalNanos - nanoClock.getAsLong() : 0;
    if (wait <= 0) {
      emitNow();
    } else {
      timerSet = true;
      timer.schedule(Math.max(1, (wait + 999_999) / 1_000_000), this::onTimer);
    }
  }

  private synchronized void onTimer() {
    timerSet = false;
    if (!closed && pending) {
      emitOrWait(); // a flush since the timer was set may have made it early: then it waits again
    }
  }

  private void emitNow() {
    pending = false;
    emittedOnce = true;
    lastEmitNanos = nanoClock.getAsLong();
    emit.run();
  }
}
