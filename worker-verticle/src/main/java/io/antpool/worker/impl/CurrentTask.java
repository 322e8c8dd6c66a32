package io.antpool.worker.impl;

/**
 * The task a slot holds and the thread it runs on, so that a cancel interrupts that task and nothing else. One
 * task at a time:
 *
 * <pre>
 *   accepted (dispatch received) ──start──▶ running on the slot's thread ──finish──▶ none
 *       └── cancelled before start: start refuses, the task is not run
 * </pre>
 *
 * An interrupt is delivered only while the task runs, under this object's lock; {@link #finish} ends that
 * window and then clears the thread's interrupt status, so no interrupt meant for a task reaches the next one.
 * A cancel naming any other task (one already finished, or never held) is ignored.
 */
final class CurrentTask {
  private static final long NONE = Long.MIN_VALUE;

  private long taskId = NONE;
  private Thread thread;
  private boolean cancelledBeforeStart;

  /** A dispatch of {@code id} arrived; called on the slot's event loop, before the task is handed to its thread. */
  synchronized void accept(long id) {
    taskId = id;
    thread = null;
    cancelledBeforeStart = false;
  }

  /**
   * On the slot's thread, as task {@code id} starts (a task not announced by {@link #accept} is accepted now).
   *
   * @return false if the task was cancelled before it started: it must not run
   */
  synchronized boolean start(long id) {
    if (taskId != id) {
      accept(id);
    }
    if (cancelledBeforeStart) {
      taskId = NONE;
      return false;
    }
    thread = Thread.currentThread();
    return true;
  }

  /** On the slot's thread, once task {@code id} has ended: no interrupt for it reaches the thread after this. */
  void finish(long id) {
    synchronized (this) {
      if (taskId == id) {
        taskId = NONE;
        thread = null;
      }
    }
    Thread.interrupted(); // a task's interrupt must not leak into the next task on this thread
  }

  /**
   * A cancel of task {@code id}: interrupts its thread if it runs and {@code interrupt} is true; marks it so it
   * never runs if it has not started yet; does nothing if the slot does not hold it.
   *
   * @return whether the slot held the task
   */
  synchronized boolean cancel(long id, boolean interrupt) {
    if (taskId != id) {
      return false;
    }
    if (thread == null) {
      cancelledBeforeStart = true;
    } else if (interrupt) {
      thread.interrupt();
    }
    return true;
  }
}
