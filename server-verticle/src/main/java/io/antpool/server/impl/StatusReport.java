package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Builds the JSON of {@code GET /antadmin/api/status}. Field names are part of the public API. */
final class StatusReport {
  private StatusReport() {
  }

  /** The report without {@code now}, which the caller adds (the live feed compares reports without it). */
  static JsonObject of(Scheduler scheduler, ServerStats stats, ThroughputHistory history, String version,
      long startedAtMillis) {
    JsonArray workers = new JsonArray();
    for (WorkerSlot slot : scheduler.slots()) {
      PeerInfo p = slot.peer;
      workers.add(new JsonObject()
          .put("id", slot.address)
          .put("name", p.name())
          .put("kind", slot.kind.wireName())
          .put("host", p.host())
          .put("ip", slot.remoteIp)
          .put("reportedIp", p.ip())
          .put("os", p.os())
          .put("cores", p.cores())
          .put("totalMemory", p.totalMemory())
          .put("freeMemory", p.freeMemory())
          .put("cpuScore", p.cpuScore())
          .put("pid", p.pid())
          .put("tags", new JsonObject(new java.util.LinkedHashMap<String, Object>(p.tags())))
          .put("slots", 1)
          .put("busySlots", slot.busy() ? 1 : 0)
          .put("held", slot.held.size())
          .put("tasksRun", slot.tasksRun)
          .put("failures", slot.failures)
          .put("cpuTimeMillis", slot.cpuNanos / 1_000_000)
          .put("bytesIn", slot.bytesIn)
          .put("bytesOut", slot.bytesOut)
          .put("connectedSince", slot.joinedAtMillis)
          .put("task", runningTask(slot.task())));
    }
    JsonArray clients = new JsonArray();
    for (ClientSession c : scheduler.clients()) {
      clients.add(new JsonObject()
          .put("id", c.id)
          .put("name", c.peer.name())
          .put("user", null)
          .put("host", c.peer.host())
          .put("ip", c.remoteIp)
          .put("submitted", c.submitted)
          .put("completed", c.completed)
          .put("failed", c.failed)
          .put("cancelled", c.cancelled)
          .put("queued", c.queue.size())
          .put("running", c.running)
          .put("connectedSince", c.connectedAtMillis)
          .put("connected", c.sink.attached()));
    }
    return new JsonObject()
        .put("version", version)
        .put("startedAt", startedAtMillis)
        .put("queueDepth", scheduler.queueDepth())
        .put("slots", scheduler.slots().size())
        .put("busySlots", scheduler.busySlots())
        .put("tasks", new JsonObject()
            .put("submitted", stats.submitted)
            .put("completed", stats.completed)
            .put("failed", stats.failed)
            .put("rerun", stats.rerun)
            .put("recalled", stats.recalled)
            .put("cancelled", stats.cancelled)
            .put("latencyP50Millis", stats.latencyMillis(0.5))
            .put("latencyP99Millis", stats.latencyMillis(0.99))
            .put("perSecond", history.perSecond()))
        .put("classes", new JsonObject()
            .put("fetches", stats.fetches)
            .put("transfers", stats.classTransfers)
            .put("bytes", stats.classBytes)
            .put("cacheHits", stats.classCacheHits))
        .put("badInput", new JsonObject()
            .put("errors", stats.protocolErrors)
            .put("closes", stats.peersClosed))
        .put("workers", workers)
        .put("clients", clients);
  }

  /** The task a slot holds, for the dashboard's running-tasks rows; null when the slot is idle. */
  private static JsonObject runningTask(TaskRecord task) {
    if (task == null) {
      return null;
    }
    return new JsonObject()
        .put("taskId", task.id)
        .put("client", task.client.id)
        .put("clientName", task.client.peer.name())
        .put("startedAt", task.dispatchedAtMillis)
        .put("progress", task.progress == null ? null : new JsonObject()
            .put("done", task.progress.done())
            .put("total", task.progress.total())
            .put("message", task.progress.message()));
  }
}
