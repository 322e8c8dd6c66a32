package io.antpool.server.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * What the pool did second by second over the last {@value #CAPACITY} seconds, for the dashboard's chart: tasks
 * answered with a value and with a failure, and busy slots and queue depth at the end of each second. The
 * server calls {@link #sample} once a second.
 */
final class ThroughputHistory implements PoolListener {
  static final int CAPACITY = 600;
  static final long INTERVAL_MILLIS = 1_000;
  /** How many of the newest samples {@link #perSecond} averages over. */
  private static final int RATE_WINDOW = 10;

  /** One second of the pool. */
  record Sample(long time, int completed, int failed, int busySlots, int queueDepth) {
  }

  private final ArrayDeque<Sample> samples = new ArrayDeque<>(CAPACITY);
  private final ServerStats stats;
  private long completedBefore;
  private long failedBefore;

  ThroughputHistory(ServerStats stats) {
    this.stats = stats;
    this.completedBefore = stats.completed;
    this.failedBefore = stats.failed;
  }

  /** Closes the second ending at {@code time} with the given figures; returns its sample. */
  Sample sample(long time, int busySlots, int queueDepth) {
    Sample s = new Sample(time, (int) (stats.completed - completedBefore), (int) (stats.failed - failedBefore),
        busySlots, queueDepth);
    completedBefore = stats.completed;
    failedBefore = stats.failed;
    if (samples.size() == CAPACITY) {
      samples.pollFirst();
    }
    samples.addLast(s);
    return s;
  }

  /** Tasks answered per second over the newest {@value #RATE_WINDOW} samples (fewer just after start). */
  double perSecond() {
    int n = 0;
    long answered = 0;
    for (Iterator<Sample> it = samples.descendingIterator(); it.hasNext() && n < RATE_WINDOW; n++) {
      Sample s = it.next();
      answered += s.completed() + s.failed();
    }
    return n == 0 ? 0 : answered / (double) n;
  }

  static JsonObject toJson(Sample s) {
    return new JsonObject().put("time", s.time()).put("completed", s.completed()).put("failed", s.failed())
        .put("busySlots", s.busySlots()).put("queueDepth", s.queueDepth());
  }

  /** The whole history as columns, oldest first (see docs/api.md). */
  JsonObject toJson() {
    JsonArray completedColumn = new JsonArray();
    JsonArray failedColumn = new JsonArray();
    JsonArray busyColumn = new JsonArray();
    JsonArray queueColumn = new JsonArray();
    for (Sample s : samples) {
      completedColumn.add(s.completed());
      failedColumn.add(s.failed());
      busyColumn.add(s.busySlots());
      queueColumn.add(s.queueDepth());
    }
    return new JsonObject()
        .put("intervalMillis", INTERVAL_MILLIS)
        .put("end", samples.isEmpty() ? System.currentTimeMillis() : samples.peekLast().time())
        .put("completed", completedColumn)
        .put("failed", failedColumn)
        .put("busySlots", busyColumn)
        .put("queueDepth", queueColumn);
  }
}
