package io.antpool.server.impl;

import io.antpool.protocol.Protocol;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The JSON API behind {@code /antadmin}, documented in docs/api.md: the status report, the throughput history,
 * the task stream, the event log, and their live feed. Owns the once-a-second sampler that feeds the history
 * and the live feed. Field names are part of the public API.
 */
final class DashboardApi {
  private final Vertx vertx;
  private final Scheduler scheduler;
  private final ServerStats stats;
  private final long startedAt;
  private final ThroughputHistory history;
  private final TaskStream tasks = new TaskStream();
  private final EventLog events = new EventLog();
  private final LiveFeed live;
  private long sampler = -1;

  /** Listens to the pool through {@code listeners}. */
  DashboardApi(Vertx vertx, Scheduler scheduler, ServerStats stats, PoolListeners listeners, long startedAt) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.stats = stats;
    this.startedAt = startedAt;
    this.history = new ThroughputHistory(stats);
    listeners.add(tasks).add(events);
    this.live = new LiveFeed(this::status, history, tasks, events);
  }

  /** The status report without {@code now}. */
  private JsonObject status() {
    return StatusReport.of(scheduler, stats, history, Protocol.ANTPOOL_VERSION, startedAt);
  }

  void mount(Router router) {
    router.get("/antadmin/api/status").handler(ctx -> ctx.json(status().put("now", System.currentTimeMillis())));
    router.get("/antadmin/api/history").handler(ctx -> ctx.json(history.toJson()));
    router.get("/antadmin/api/tasks").handler(ctx -> after(ctx).ifPresent(seq ->
        ctx.json(tasks.range(seq, tasks.last(), TaskStream.CAPACITY))));
    router.get("/antadmin/api/events").handler(ctx -> after(ctx).ifPresent(seq ->
        ctx.json(events.range(seq, events.last(), EventLog.CAPACITY))));
    router.get("/antadmin/api/live").handler(ctx -> live.open(ctx.response()));
  }

  /** The {@code after} query parameter (default 0); a bad one is answered with 400 and a reason. */
  private static java.util.OptionalLong after(RoutingContext ctx) {
    String value = ctx.request().getParam("after");
    if (value == null || value.isEmpty()) {
      return java.util.OptionalLong.of(0);
    }
    try {
      long seq = Long.parseLong(value);
      if (seq >= 0) {
        return java.util.OptionalLong.of(seq);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", "after=" + value + " is not a sequence number; pass the \"last\""
            + " of a previous answer, or 0 (or nothing) for everything still kept").encode());
    return java.util.OptionalLong.empty();
  }

  /** Starts sampling the pool once a second. */
  void start() {
    sampler = vertx.setPeriodic(ThroughputHistory.INTERVAL_MILLIS, t ->
        live.tick(history.sample(System.currentTimeMillis(), scheduler.busySlots(), scheduler.queueDepth())));
  }

  void stop() {
    if (sampler >= 0) {
      vertx.cancelTimer(sampler);
      sampler = -1;
    }
  }
}
