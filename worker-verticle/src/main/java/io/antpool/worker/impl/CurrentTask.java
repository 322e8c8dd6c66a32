package io.antpool.worker.impl;

import java.util.HashSet;
import java.util.Set;

/**
 * The tasks a slot holds and the thread the running one is on, so that a cancel interrupts that task and
 * nothing else. A slot runs one task at a time, and may hold more behind it (the server's prefetch), which its
 * thread runs in the order they arrived:
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

  /** Accepted and not started yet. */
  private final Set<Long> waiting = new HashSet<>();
  /** Of {@link #waiting}, those cancelled: they will not run. */
  private final Set<Long> cancelledBeforeStart = new HashSet<>();
  private long running = NONE;
  private Thread thread;

  /** A dispatch of {@code id} arrived; called on the slot's event loop, before the task is handed to its thread. */
  synchronized void accept(long id) {
    waiting.add(id);
  }

  /**
   * On the slot's thread, as task {@code id} starts (a task not announced by {@link #accept} is accepted now).
   *
   * @return false if the task was cancelled before it started: it must not run
   */
  synchronized boolean start(long id) {
    waiting.remove(id);
    if (cancelledBeforeStart.remove(id)) {
      return false;
    }
    running = id;
    thread = Thread.currentThread();
    return true;
  }

  /** On the slot's thread, once task {@code id} has ended: no interrupt for it reaches the thread after this. */
  void finish(long id) {
    synchronized (this) {
      if (running == id) {
        running = NONE;
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
    if (running == id) {
      if (interrupt) {
        thread.interrupt();
      }
      return true;
    }
    if (waiting.contains(id)) {
      cancelledBeforeStart.add(id);
      return true;
    }
    return false;
  }
}
