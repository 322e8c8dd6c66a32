package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Throttle} on a clock and a timer the test drives: the first signal emits at once, signals within the
 * interval become one emission at its end (the last is never lost), a flush emits at once, and after close
 * nothing is emitted, not even by a timer set before.
 */
class ThrottleTest {
  private static final long INTERVAL_MILLIS = 250;

  private long nowNanos = 1_000_000_000L;
  /** Timers scheduled and not fired yet: their delay and action. */
  private final List<Long> delays = new ArrayList<>();
  private final List<Runnable> timers = new ArrayList<>();
  private int emissions;
  private final Throttle throttle = new Throttle(INTERVAL_MILLIS, () -> nowNanos, (delay, action) -> {
    delays.add(delay);
    timers.add(action);
  }, () -> emissions++);

  private void advanceMillis(long millis) {
    nowNanos += millis * 1_000_000L;
  }

  /** Fires the oldest timer, as its time has come. */
  private void fireTimer() {
    timers.remove(0).run();
  }

  @Test
  void theFirstSignalEmitsAtOnce() {
    throttle.signal();

    assertEquals(1, emissions);
    assertTrue(timers.isEmpty());
  }

  @Test
  void signalsWithinTheIntervalBecomeOneEmissionAtItsEnd() {
    throttle.signal();
    advanceMillis(40);
    throttle.signal();
    advanceMillis(40);
    throttle.signal();
    throttle.signal();

    assertEquals(1, emissions, "only the first went out at once");
    assertEquals(List.of(INTERVAL_MILLIS - 40), delays, "one timer, for the end of the interval");
    advanceMillis(INTERVAL_MILLIS - 80);
    fireTimer();
    assertEquals(2, emissions, "the waiting signals went out together");
    assertTrue(timers.isEmpty());
  }

  @Test
  void aSignalAfterTheIntervalEmitsAtOnce() {
    throttle.signal();
    advanceMillis(INTERVAL_MILLIS);

    throttle.signal();

    assertEquals(2, emissions);
    assertTrue(timers.isEmpty());
  }

  @Test
  void aTimerWithNothingWaitingEmitsNothing() {
    throttle.signal();
    advanceMillis(10);
    throttle.signal();
    throttle.flush();
    assertEquals(2, emissions, "the flush sent the waiting signal");

    advanceMillis(INTERVAL_MILLIS);
    fireTimer();

    assertEquals(2, emissions);
  }

  @Test
  void aTimerThatFiresEarlyAfterAFlushWaitsForTheRestOfTheInterval() {
    throttle.signal();
    advanceMillis(100);
    throttle.signal(); // timer for 150 ms from now
    advanceMillis(100);
    throttle.flush(); // emits now: the next emission is due 250 ms from here
    throttle.signal();
    advanceMillis(50);

    fireTimer();

    assertEquals(2, emissions, "too soon after the flush");
    assertEquals(List.of(150L, INTERVAL_MILLIS - 50), delays);
    advanceMillis(INTERVAL_MILLIS - 50);
    fireTimer();
    assertEquals(3, emissions);
  }

  @Test
  void closingWithFlushEmitsTheWaitingSignalAndThenNothingMore() {
    throttle.signal();
    advanceMillis(10);
    throttle.signal();

    throttle.close(true);
    throttle.signal();
    advanceMillis(INTERVAL_MILLIS);
    fireTimer();
    throttle.flush();

    assertEquals(2, emissions);
  }

  @Test
  void closingWithoutFlushDropsTheWaitingSignal() {
    throttle.signal();
    advanceMillis(10);
    throttle.signal();

    throttle.close(false);
    fireTimer();

    assertEquals(1, emissions);
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Throttle(0, System::nanoTime, (d, a) -> { }, () -> { }));
  }
}
