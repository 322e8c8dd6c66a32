package io.antpool.worker.impl;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task's timeout on the worker: at the deadline, the task is interrupted (through the same path as a cancel
 * with interrupt) and remembered as timed out, so that whatever it then returns or throws, its outcome is a
 * {@link java.util.concurrent.TimeoutException}. One daemon thread serves the deadlines of every slot of the
 * JVM; it only ever interrupts, never runs task code.
 */
final class TaskDeadline {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "antpool-task-deadlines");
    t.setDaemon(true);
    return t;
  });
  private static final TaskDeadline NONE = new TaskDeadline(null, new AtomicBoolean());

  private final ScheduledFuture<?> timer;
  private final AtomicBoolean passed;

  private TaskDeadline(ScheduledFuture<?> timer, AtomicBoolean passed) {
    this.timer = timer;
    this.passed = passed;
  }

  /** Runs {@code interrupt} after {@code millis} unless {@link #cancel}led first; no deadline when 0. */
  static TaskDeadline after(long millis, Runnable interrupt) {
    if (millis <= 0) {
      return NONE;
    }
    AtomicBoolean passed = new AtomicBoolean();
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      passed.set(true);
      interrupt.run();
    }, millis, TimeUnit.MILLISECONDS);
    return new TaskDeadline(timer, passed);
  }

  /** Whether the deadline came before the task ended (its interrupt was sent). */
  boolean passed() {
    return passed.get();
  }

  /** The task ended: its deadline no longer matters. */
  void cancel() {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
