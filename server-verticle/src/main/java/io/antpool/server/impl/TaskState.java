package io.antpool.server.impl;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life cycle of a task on the server. All transitions live here:
 *
 * <pre>
 *   QUEUED ──dispatch──▶ DISPATCHED ──worker acknowledged──▶ RUNNING
 *     │                     │  │                               │ │
 *     │                     │  └──────── result ───────────────┼─┴──▶ DONE (value) / FAILED (exception, lost)
 *     │                     └──── worker lost ──▶ REQUEUED ◀───┘
 *     │                                             │
 *     │                                             └──dispatch──▶ DISPATCHED
 *     ├── client gone ──▶ CANCELLED  (also from REQUEUED; from DISPATCHED/RUNNING the result is discarded)
 *     └── client cancels ──▶ CANCELLED  (also from REQUEUED)
 *
 *   DISPATCHED, RUNNING ──client cancels──▶ CANCELLING ──result (any status) or worker lost──▶ CANCELLED
 *
 *   broadcast part: QUEUED (on its one slot) ──slot lost──▶ FAILED; DISPATCHED, RUNNING ──slot lost──▶ FAILED
 *   (a part is never REQUEUED: it may run only on its own slot)
 * </pre>
 *
 * A result may overtake the worker's acknowledgement, hence DISPATCHED may go straight to DONE or FAILED.
 * CANCELLING is a task the client gave up while a worker slot holds it: the slot has been told to stop it,
 * its result will be discarded, and the slot is busy until that result (or the worker's loss) says it is free.
 */
public enum TaskState {
  QUEUED,
  DISPATCHED,
  RUNNING,
  REQUEUED,
  CANCELLING,
  DONE,
  FAILED,
  CANCELLED;

  /** Whether a task in this state may move to {@code next}. */
  public boolean canMoveTo(TaskState next) {
    return successors().contains(next);
  }

  public boolean isTerminal() {
    return successors().isEmpty();
  }

  private Set<TaskState> successors() {
    return switch (this) {
      case QUEUED -> EnumSet.of(DISPATCHED, CANCELLED, FAILED);
      case REQUEUED -> EnumSet.of(DISPATCHED, CANCELLED);
      case DISPATCHED -> EnumSet.of(RUNNING, DONE, FAILED, REQUEUED, CANCELLING, CANCELLED);
      case RUNNING -> EnumSet.of(DONE, FAILED, REQUEUED, CANCELLING, CANCELLED);
      case CANCELLING -> EnumSet.of(CANCELLED);
      case DONE, FAILED, CANCELLED -> EnumSet.noneOf(TaskState.class);
    };
  }
}
