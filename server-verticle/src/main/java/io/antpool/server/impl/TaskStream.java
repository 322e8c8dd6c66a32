package io.antpool.server.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The dashboard's task stream: the newest {@value #CAPACITY} ended runs of tasks on worker slots, each with the
 * slot, the client, when it began and ended, and how it ended (like Dask's task stream). Runs still going are
 * not here; the status report shows them on their slots.
 */
final class TaskStream implements PoolListener {
  static final int CAPACITY = 1_000;

  /** One ended run of a task on a slot. */
  record Span(long taskId, String client, String clientName, String worker, String workerName, String host,
      long startedAt, long endedAt, RunEnd status) {
  }

  private final SequencedRing<Span> spans = new SequencedRing<>(CAPACITY);

  @Override
  public void taskRunEnded(TaskRecord task, WorkerSlot slot, RunEnd end) {
    spans.add(new Span(task.id, task.client.id, task.client.peer.name(), slot.address, slot.displayName(),
        slot.peer.host(), task.dispatchedAtMillis, System.currentTimeMillis(), end));
  }

  long last() {
    return spans.last();
  }

  /** {@code {"last": N, "tasks": [...]}}: the runs numbered above {@code after} up to
   * {@code upTo}, oldest first, at most the newest {@code max}. */
  JsonObject range(long after, long upTo, int max) {
    JsonArray tasks = new JsonArray();
    for (SequencedRing.Entry<Span> e : spans.range(after, upTo, max)) {
      Span s = e.item();
      tasks.add(new JsonObject()
          .put("seq", e.seq())
          .put("taskId", s.taskId())
          .put("client", s.client())
          .put("clientName", s.clientName())
          .put("worker", s.worker())
          .put("workerName", s.workerName())
          .put("host", s.host())
          .put("startedAt", s.startedAt())
          .put("endedAt", s.endedAt())
          .put("status", s.status().name()));
    }
    return new JsonObject().put("last", spans.last()).put("tasks", tasks);
  }
}
