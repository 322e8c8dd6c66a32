package io.antpool.server.impl.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts failed logins per remote address in fixed windows: after {@code maxFailures} in one window, further
 * attempts from that address are refused unchecked until the window ends, so nobody can guess a password or a
 * token at speed (nor make the server spend its CPU on password hashes). Confined to the server's event loop.
 */
public final class LoginLimiter {
  /** Failures from one address that make it wait for the rest of the window. */
  public static final int MAX_FAILURES = 5;
  /** The window: one minute. */
  public static final long WINDOW_MILLIS = 60_000;
  /** Above this many addresses tracked, ended windows are dropped, so the map cannot grow without bound. */
  private static final int PRUNE_ABOVE = 10_000;

  private final LongSupplier clock;
  private final Map<String, Window> windows = new HashMap<>();

  private static final class Window {
    final long start;
    int failures;
    boolean blockLogged;

    Window(long start) {
      this.start = start;
    }
  }

  /** What a failure meant, for logging once per address and window. */
  public enum Failure { FIRST_IN_WINDOW, REPEATED, NOW_BLOCKED }

  public LoginLimiter(LongSupplier clock) {
    this.clock = clock;
  }

  /** Whether {@code address} has failed too often in the current window. */
  public boolean blocked(String address) {
    Window w = current(address, false);
    return w != null && w.failures >= MAX_FAILURES;
  }

  /** Whether a refusal of a blocked address is the first of its window (and so worth logging). */
  public boolean firstBlockedAttempt(String address) {
    Window w = current(address, false);
    if (w == null || w.blockLogged) {
      return false;
    }
    w.blockLogged = true;
    return true;
  }

  /** Records a failed login from {@code address}. */
  public Failure failed(String address) {
    Window w = current(address, true);
    w.failures++;
    if (w.failures == 1) {
      return Failure.FIRST_IN_WINDOW;
    }
    if (w.failures == MAX_FAILURES) {
      w.blockLogged = true;
      return Failure.NOW_BLOCKED;
    }
    return Failure.REPEATED;
  }

  /** Seconds until {@code address}'s window ends (at least 1). */
  public long secondsLeft(String address) {
    Window w = current(address, false);
    return w == null ? 1 : Math.max(1, (w.start + WINDOW_MILLIS - clock.getAsLong() + 999) / 1000);
  }

  private Window current(String address, boolean create) {
    long now = clock.getAsLong();
    Window w = windows.get(address);
    if (w != null && now - w.start >= WINDOW_MILLIS) {
      windows.remove(address);
      w = null;
    }
    if (w == null && create) {
      if (windows.size() > PRUNE_ABOVE) {
        windows.values().removeIf(old -> now - old.start >= WINDOW_MILLIS);
      }
      w = new Window(now);
      windows.put(address, w);
    }
    return w;
  }
}
