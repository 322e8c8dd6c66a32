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
 *       ├── cancelled before start: start refuses, the task is not run (its result says it was cancelled)
 *       └── recalled before start: start refuses, the task is not run and sends no result (the server has it)
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
  /** Of {@link #waiting}, those given back to the server: they will not run, and nothing answers them. */
  private final Set<Long> recalled = new HashSet<>();

  /** What {@link #start} decides for a task. */
  enum Start {
    /** Run it. */
    RUN,
    /** It was cancelled before it started: answer it as cancelled, without running it. */
    CANCELLED,
    /** It was recalled: drop it without a word, the server owns it again. */
    RECALLED
  }
  private long running = NONE;
  private Thread thread;

  /** A dispatch of {@code id} arrived; called on the slot's event loop, before the task is handed to its thread. */
  synchronized void accept(long id) {
    waiting.add(id);
  }

  /**
   * On the slot's thread, as task {@code id} starts (a task not announced by {@link #accept} is accepted now).
   * A task both recalled and cancelled counts as recalled: the server dropped it when it took it back.
   */
  synchronized Start start(long id) {
    waiting.remove(id);
    boolean wasCancelled = cancelledBeforeStart.remove(id);
    if (recalled.remove(id)) {
      return Start.RECALLED;
    }
    if (wasCancelled) {
      return Start.CANCELLED;
    }
    running = id;
    thread = Thread.currentThread();
    return Start.RUN;
  }

  /**
   * The server takes back task {@code id} if it has not started: it then never runs here.
   *
   * @return true if the task was waiting and is now given back; false if it started, ended, was already given
   *     back, or was never held
   */
  synchronized boolean recall(long id) {
    return waiting.contains(id) && recalled.add(id);
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
