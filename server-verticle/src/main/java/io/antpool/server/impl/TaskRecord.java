package io.antpool.server.impl;

import io.antpool.TaskProgress;
import io.antpool.protocol.TaskKind;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The server's book-keeping for one task. Touched only on the scheduler's event loop. */
final class TaskRecord {
  final long id;
  final long clientTaskId;
  final ClientSession client;
  final TaskKind kind;
  final int rtype;
  final int loader;
  /** How long the task may run on its worker; 0 for no limit. */
  final long timeoutMillis;
  final Buffer payload;
  final long submittedAtNanos = System.nanoTime();
  /** When the task was last handed to a slot (its latest attempt), by {@link System#nanoTime()} and the clock. */
  long dispatchedAtNanos;
  long dispatchedAtMillis;
  private TaskState state = TaskState.QUEUED;
  int attempts;
  WorkerSlot slot;
  /** A {@code recall} of this task was sent to {@link #slot}, which has not answered yet. */
  boolean recalling;
  /** {@link #slot} answered a recall of this task: it had started it. It is not recalled again. */
  boolean startedOnSlot;
  /** What the task last reported of its progress in its current run, or null (none yet, or not running). */
  TaskProgress progress;
  final List<String> lostWorkers = new ArrayList<>(1);
  /** Tags a slot must carry to run this task (see {@link io.antpool.config.Tags}); empty: any slot. */
  Map<String, String> requires = Map.of();
  /** Whether to prefer the host running the fewest of its client's tasks. */
  boolean spread;
  /** Position in its client's {@link ClientQueue}; smaller goes first. */
  long queueOrder;
  /** For a part of a broadcast: the broadcast, the part's number and the one slot it may run on; else null. */
  Broadcast broadcast;
  int part;
  WorkerSlot pinnedTo;

  TaskRecord(long id, long clientTaskId, ClientSession client, TaskKind kind, int rtype, int loader,
      long timeoutMillis, Buffer payload) {
    this.id = id;
    this.loader = loader;
    this.timeoutMillis = timeoutMillis;
    this.clientTaskId = clientTaskId;
    this.client = client;
    this.kind = kind;
    this.rtype = rtype;
    this.payload = payload;
  }

  TaskState state() {
    return state;
  }

  /**
   * Moves to {@code next}.
   *
   * @throws IllegalStateException if {@link TaskState} forbids the transition: a scheduler bug
   */
  void moveTo(TaskState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("task " + id + " cannot go from " + state + " to " + next);
    }
    state = next;
  }
}
