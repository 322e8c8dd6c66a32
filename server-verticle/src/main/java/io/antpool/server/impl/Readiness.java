package io.antpool.server.impl;

import io.vertx.core.json.JsonObject;
import java.util.Collection;

/**
 * The answer of {@code GET /ready}: ready when at least {@code readyMinWorkers} worker slots that take tasks are
 * connected (slots of a worker stopping gracefully do not count), with the reason and the figures.
 *
 * @param ready 200 when true, else 503
 * @param body {@code status} (READY or NOT_READY), {@code reason}, {@code slots}, {@code drainingSlots},
 *     {@code workers} and {@code readyMinWorkers}
 */
record Readiness(boolean ready, JsonObject body) {

  static Readiness of(Collection<WorkerSlot> slots, int readyMinWorkers) {
    int taking = 0;
    for (WorkerSlot slot : slots) {
      if (!slot.draining) {
        taking++;
      }
    }
    boolean ready = taking >= readyMinWorkers;
    String reason;
    if (readyMinWorkers == 0) {
      reason = "listening; readyMinWorkers is 0, so no worker slot is needed";
    } else if (ready) {
      reason = taking + " worker slot(s) connected; readyMinWorkers is " + readyMinWorkers;
    } else {
      reason = taking + " worker slot(s) connected, fewer than readyMinWorkers (" + readyMinWorkers
          + "): tasks would wait; start workers, or lower readyMinWorkers in the server configuration";
    }
    return new Readiness(ready, new JsonObject()
        .put("status", ready ? "READY" : "NOT_READY")
        .put("reason", reason)
        .put("slots", taking)
        .put("drainingSlots", slots.size() - taking)
        .put("workers", WorkerProcesses.count(slots))
        .put("readyMinWorkers", readyMinWorkers));
  }
}
