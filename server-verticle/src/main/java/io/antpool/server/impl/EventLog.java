package io.antpool.server.impl;

import io.antpool.protocol.Result;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The dashboard's event log: the newest {@value #CAPACITY} things a person watching the pool wants to know of,
 * in one line each: workers and clients joining and leaving, tasks rerun after a lost worker, tasks failing,
 * and peers refused or closed for faults. The server's log file says the same at more length.
 */
final class EventLog implements PoolListener {
  static final int CAPACITY = 500;

  /** What happened; {@code kind} is one of the names documented in docs/api.md. */
  record Event(long time, String kind, String text) {
  }

  private final SequencedRing<Event> events = new SequencedRing<>(CAPACITY);

  private void add(String kind, String text) {
    events.add(new Event(System.currentTimeMillis(), kind, text));
  }

  @Override
  public void slotJoined(WorkerSlot slot) {
    add("worker-joined", "worker " + slot.displayName() + " (" + slot.kind.wireName() + ", " + slot.peer.cores()
        + " cores, score " + slot.peer.cpuScore() + ") joined from " + slot.remoteIp);
  }

  @Override
  public void slotLeft(WorkerSlot slot, String reason) {
    add("worker-left", "worker " + slot.displayName() + " left: " + reason);
  }

  @Override
  public void clientJoined(ClientSession client) {
    add("client-joined", "client " + client.peer.name() + " connected from " + client.remoteIp);
  }

  @Override
  public void clientLeft(ClientSession client) {
    add("client-left", "client " + client.peer.name() + " left (" + client.completed + " completed, "
        + client.failed + " failed)");
  }

  @Override
  public void taskRequeued(TaskRecord task, WorkerSlot lost) {
    add("task-rerun", "task " + task.id + " of " + task.client.peer.name() + " queued again: worker "
        + lost.displayName() + " was lost while running it (attempt " + task.attempts + ")");
  }

  @Override
  public void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
    if (result.status() == Result.Status.VALUE) {
      return;
    }
    String where = ranOn == null ? "" : " on " + ranOn.displayName();
    add("task-failed", "task " + task.id + " of " + task.client.peer.name() + " failed" + where + ": "
        + result.errorClass() + (result.errorMessage() == null ? "" : ": " + result.errorMessage()));
  }

  @Override
  public void peerFault(String who, String remoteIp, String what) {
    add("peer-fault", who + " at " + remoteIp + ": " + what);
  }

  long last() {
    return events.last();
  }

  /** {@code {"last": N, "events": [...]}}: the events numbered above {@code after}
   * up to {@code upTo}, oldest first, at most the newest {@code max}. */
  JsonObject range(long after, long upTo, int max) {
    JsonArray out = new JsonArray();
    for (SequencedRing.Entry<Event> e : events.range(after, upTo, max)) {
      out.add(new JsonObject()
          .put("seq", e.seq())
          .put("time", e.item().time())
          .put("kind", e.item().kind())
          .put("text", e.item().text()));
    }
    return new JsonObject().put("last", events.last()).put("events", out);
  }
}
