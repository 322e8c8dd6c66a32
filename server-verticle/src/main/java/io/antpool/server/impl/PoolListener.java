package io.antpool.server.impl;

import io.antpool.protocol.Result;

/**
 * What happens in the pool, as the scheduler and the connections see it: the one seam through which counters,
 * metrics, the dashboard's task stream and event log, and the log summary learn of it. Every method is called on
 * the server verticle's event loop, in the order things happen, and must return quickly without blocking; a
 * listener keeps whatever it needs, since the records passed go on changing after the call.
 */
interface PoolListener {
  /** A task (or one part of a broadcast) was accepted from its client and queued. */
  default void taskSubmitted(TaskRecord task) {
  }

  /** A task was handed to {@code slot}; {@link TaskRecord#dispatchedAtNanos} is set. */
  default void taskDispatched(TaskRecord task, WorkerSlot slot) {
  }

  /**
   * A task was answered to its client (or would have been, had the client not left): with a value, an error, or
   * as lost. {@code ranOn} is the slot whose result this is, or null when no slot answered (the task was lost
   * with every worker it ran on, or a broadcast part lost its slot).
   */
  default void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
  }

  /**
   * One run of a task on {@code slot} ended: it answered (VALUE or ERROR), the slot was lost (LOST; the task may
   * run again elsewhere), or a cancelled task's run ended (CANCELLED). {@link TaskRecord#dispatchedAtMillis} is
   * when the run began. Called before {@link #taskAnswered} or {@link #taskRequeued}.
   */
  default void taskRunEnded(TaskRecord task, WorkerSlot slot, RunEnd end) {
  }

  /** The task running on its slot reported its progress, now in {@link TaskRecord#progress}. */
  default void taskProgress(TaskRecord task) {
  }

  /** The slot running {@code task} was lost and the task is queued again to run elsewhere. */
  default void taskRequeued(TaskRecord task, WorkerSlot lost) {
  }

  /** {@code slot} gave back {@code task}, which it held unstarted, when the server recalled it. */
  default void taskRecalled(TaskRecord task, WorkerSlot slot) {
  }

  /**
   * A client cancelled a task or a whole broadcast, or a task was dropped because its client's session ended or
   * it withdrew. Called once per cancelled task or broadcast; {@code task} is null for a broadcast.
   */
  default void taskCancelled(ClientSession client, TaskRecord task) {
  }

  default void slotJoined(WorkerSlot slot) {
  }

  default void slotLeft(WorkerSlot slot, String reason) {
  }

  /** A new client session started. */
  default void clientJoined(ClientSession client) {
  }

  /** A client session ended: it left, or did not come back within the grace period. */
  default void clientLeft(ClientSession client) {
  }

  /** The server sent a peer an error for bad input, or closed its connection for a fault. */
  default void peerFault(String who, String remoteIp, String what) {
  }
}
