package io.antpool.server.impl;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The dashboard's live view: a Server-Sent Events stream ({@code GET /antadmin/api/live}) per open page. A page
 * gets a {@code snapshot} when it connects, then an {@code update} at most once a second, only when something
 * changed: the status report, the newest sample of the throughput history, and the task runs and events that
 * ended or happened since the previous update (see docs/api.md).
 *
 * <p>Cheap with many pages and many workers: each update is built and encoded once, whatever the number of
 * pages, and only while at least one page is open. A page that does not keep up (its connection's write queue
 * is full) is skipped, and sent a fresh snapshot once it has caught up, so it never misses a task run or an
 * event without knowing.
 *
 * <p>Confined to the server verticle's event loop.
 */
final class LiveFeed {
  /** A comment line this often keeps proxies from closing an idle stream. */
  static final long KEEPALIVE_MILLIS = 15_000;

  private static final class Viewer {
    final HttpServerResponse response;
    boolean needsSnapshot;

    Viewer(HttpServerResponse response) {
      this.response = response;
    }
  }

  private final Supplier<JsonObject> status;
  private final ThroughputHistory history;
  private final TaskStream tasks;
  private final EventLog events;
  private final List<Viewer> viewers = new ArrayList<>();
  private long tasksSent;
  private long eventsSent;
  private String lastStatus = "";
  private long lastWriteMillis;

  /** {@code status} builds the status report without its {@code now}. */
  LiveFeed(Supplier<JsonObject> status, ThroughputHistory history, TaskStream tasks, EventLog events) {
    this.status = status;
    this.history = history;
    this.tasks = tasks;
    this.events = events;
  }

  int viewers() {
    return viewers.size();
  }

  /** A page opened the stream: it is sent its snapshot, then every update. */
  void open(HttpServerResponse response) {
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    Viewer viewer = new Viewer(response);
    response.closeHandler(v -> viewers.remove(viewer));
    response.exceptionHandler(e -> viewers.remove(viewer));
    viewers.add(viewer);
    sendSnapshot(viewer, System.currentTimeMillis());
  }

  /**
   * Called once a second with the sample just taken: sends an update to every page if anything changed, a
   * keep-alive comment if nothing has been written for a while.
   */
  void tick(ThroughputHistory.Sample sample) {
    long now = System.currentTimeMillis();
    if (viewers.isEmpty()) {
      // nobody watches: nothing is built, and the next page starts from its snapshot
      tasksSent = tasks.last();
      eventsSent = events.last();
      lastStatus = "";
      return;
    }
    JsonObject report = status.get();
    String encoded = report.encode();
    boolean changed = !encoded.equals(lastStatus) || tasks.last() != tasksSent || events.last() != eventsSent
        || sample.completed() + sample.failed() > 0;
    lastStatus = encoded;
    String update = null;
    if (changed) {
      update = "event: update\ndata: " + new JsonObject()
          .put("status", report.put("now", now))
          .put("sample", ThroughputHistory.toJson(sample))
          .put("tasks", tasks.range(tasksSent, tasks.last(), TaskStream.CAPACITY).getJsonArray("tasks"))
          .put("events", events.range(eventsSent, events.last(), EventLog.CAPACITY).getJsonArray("events"))
          .encode() + "\n\n";
      tasksSent = tasks.last();
      eventsSent = events.last();
    } else if (now - lastWriteMillis >= KEEPALIVE_MILLIS) {
      update = ": keepalive\n\n";
    }
    if (update == null) {
      return;
    }
    lastWriteMillis = now;
    for (Viewer viewer : new ArrayList<>(viewers)) {
      if (viewer.response.writeQueueFull()) {
        viewer.needsSnapshot = changed || viewer.needsSnapshot;
      } else if (viewer.needsSnapshot) {
        sendSnapshot(viewer, now);
      } else {
        viewer.response.write(update);
      }
    }
  }

  private void sendSnapshot(Viewer viewer, long now) {
    viewer.needsSnapshot = false;
    // what the other pages are sent next starts after tasksSent/eventsSent: this page must not get it twice
    viewer.response.write("event: snapshot\ndata: " + new JsonObject()
        .put("status", status.get().put("now", now))
        .put("history", history.toJson())
        .put("tasks", tasks.range(0, tasksSent, TaskStream.CAPACITY).getJsonArray("tasks"))
        .put("events", events.range(0, eventsSent, EventLog.CAPACITY).getJsonArray("events"))
        .encode() + "\n\n");
  }
}
