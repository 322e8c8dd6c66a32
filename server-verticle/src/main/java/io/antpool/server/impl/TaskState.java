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
 *     └── client gone ──▶ CANCELLED  (also from REQUEUED; from DISPATCHED/RUNNING the result is discarded)
 * </pre>
 *
 * A result may overtake the worker's acknowledgement, hence DISPATCHED may go straight to DONE or FAILED.
 */
public enum TaskState {
  QUEUED,
  DISPATCHED,
  RUNNING,
  REQUEUED,
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
      case QUEUED, REQUEUED -> EnumSet.of(DISPATCHED, CANCELLED);
      case DISPATCHED -> EnumSet.of(RUNNING, DONE, FAILED, REQUEUED, CANCELLED);
      case RUNNING -> EnumSet.of(DONE, FAILED, REQUEUED, CANCELLED);
      case DONE, FAILED, CANCELLED -> EnumSet.noneOf(TaskState.class);
    };
  }
}
