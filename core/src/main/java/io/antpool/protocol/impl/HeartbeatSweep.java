package io.antpool.protocol.impl;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one timer behind every {@link Heartbeat} of one timeout and quiet time on one Vert.x context (a server's
 * event loop holds all its peers' connections): every eighth of the timeout it pings, at once, each peer quiet for
 * the quiet time, and declares dead each one silent for longer than the timeout.
 *
 * <p>Why one timer: with a timer per connection, a server holding 10,000 idle workers woke up 4,000 times a
 * second, once per ping, and as often again for each pong, each wake-up paying a context switch and cold caches
 * (about 0.3 ms of CPU per ping on a busy two-core machine). Pinging the quiet peers together makes one wake-up
 * per sweep, and their pongs come back together too. The sweep itself costs a few nanoseconds per connection.
 *
 * <p>A sweep that runs late (more than two periods after the last one: a long GC pause, a starved process, a
 * blocked event loop) declares nobody dead: what the peers sent meanwhile may still wait, unread, behind it, and
 * the silence was the context's own. It pings as usual; the next sweep, after the pending input was read,
 * judges again.
 *
 * <p>Kept in the context's data (shared by its duplicates) while it watches at least one connection; its timer
 * stops, and it is dropped, when the last one stops. Confined to the context, like the heartbeats.
 */
final class HeartbeatSweep {
  /** The key of the context's sweeps, by {@link Timing}, in its data. */
  private static final String KEY = HeartbeatSweep.class.getName();

  /** What makes two heartbeats share a sweep. */
  private record Timing(long timeoutMillis, long quietMillis) {
  }

  private final Vertx vertx;
  private final Map<Timing, HeartbeatSweep> contextSweeps;
  private final Timing timing;
  private final long timeoutNanos;
  private final long quietNanos;
  private final long periodMillis;
  /** In order of arrival, so a sweep pings the oldest connections first. */
  private final Set<Heartbeat> watched = new LinkedHashSet<>();
  private long timer = -1;
  private long lastSweepNanos;

  private HeartbeatSweep(Vertx vertx, Map<Timing, HeartbeatSweep> contextSweeps, Timing timing) {
    this.vertx = vertx;
    this.contextSweeps = contextSweeps;
    this.timing = timing;
    this.timeoutNanos = timing.timeoutMillis() * 1_000_000L;
    this.quietNanos = timing.quietMillis() * 1_000_000L;
    this.periodMillis = Math.max(5, timing.timeoutMillis() / 8);
  }

  /** The sweep of this timing on the current context, made if there is none. */
  static HeartbeatSweep of(Vertx vertx, long timeoutMillis, long quietMillis) {
    Context context = vertx.getOrCreateContext();
    Map<Timing, HeartbeatSweep> sweeps = context.get(KEY);
    if (sweeps == null) {
      sweeps = new HashMap<>();
      context.put(KEY, sweeps);
    }
    Map<Timing, HeartbeatSweep> all = sweeps;
    return sweeps.computeIfAbsent(new Timing(timeoutMillis, quietMillis), t -> new HeartbeatSweep(vertx, all, t));
  }

  void watch(Heartbeat heartbeat) {
    watched.add(heartbeat);
    if (timer < 0) {
      lastSweepNanos = System.nanoTime();
      schedule();
    }
  }

  void unwatch(Heartbeat heartbeat) {
    if (watched.remove(heartbeat) && watched.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
      contextSweeps.remove(timing, this);
    }
  }

  /** One timer at a time, set again after each sweep: a late sweep is not followed by a burst of catch-ups. */
  private void schedule() {
    timer = vertx.setTimer(periodMillis, id -> sweep());
  }

  private void sweep() {
    long now = System.nanoTime();
    boolean late = now - lastSweepNanos > 2 * periodMillis * 1_000_000L;
    lastSweepNanos = now;
    List<Heartbeat> dead = new ArrayList<>();
    for (Heartbeat heartbeat : watched.toArray(new Heartbeat[0])) { // a copy: a ping may fail and close a socket
      long silentNanos = now - heartbeat.lastHeardNanos();
      if (silentNanos > timeoutNanos && !late) {
        dead.add(heartbeat);
      } else if (silentNanos >= quietNanos) {
        // only a quiet peer is asked: one that sent anything (a ping of its own too) within the quiet time is
        // alive, and a server with thousands of busy peers then sends no pings at all
        heartbeat.ping();
      }
    }
    if (!watched.isEmpty()) {
      schedule();
    }
    dead.forEach(Heartbeat::dead); // each leaves the sweep; the last one stops its timer
  }
}
