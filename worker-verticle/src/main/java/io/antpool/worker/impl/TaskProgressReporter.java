package io.antpool.worker.impl;

import io.antpool.TaskContext;
import io.antpool.TaskProgress;
import io.antpool.protocol.impl.Throttle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link TaskContext} of one task on a worker slot: it keeps the latest report and hands it to {@code send}
 * at most once every {@value #INTERVAL_MILLIS} ms ({@link Throttle}), the first at once; a report superseded
 * within the interval is never sent, the latest always is. When the task ends ({@link #finish}) a report not
 * sent yet is sent at once, and nothing after: the caller sends the task's result after that, so no report
 * follows the result. Reports from any thread (a task may hand its context to threads of its own) until then;
 * later ones are ignored.
 */
public final class TaskProgressReporter implements TaskContext {
  /** Least time between two reports of one task on the wire. */
  public static final long INTERVAL_MILLIS = 250;

  private final AtomicReference<TaskProgress> latest = new AtomicReference<>();
  private final Throttle throttle;

  /**
   * @param nanoClock a monotonic clock ({@code System::nanoTime})
   * @param timer runs the throttle's deferred sends
   * @param send takes a report to the server; runs under the throttle's lock, so it must only hand it over
   *     (post it to the slot's event loop), never wait
   */
  public TaskProgressReporter(LongSupplier nanoClock, Throttle.Timer timer, Consumer<TaskProgress> send) {
    this.throttle = new Throttle(INTERVAL_MILLIS, nanoClock, timer, () -> {
      TaskProgress report = latest.getAndSet(null);
      if (report != null) {
        send.accept(report);
      }
    });
  }

  /** The context of a task nobody waits for (a warm-up task): its reports are checked and dropped. */
  public static TaskProgressReporter discarding() {
    return new TaskProgressReporter(System::nanoTime, (delayMillis, action) -> { }, report -> { });
  }

  @Override
  public void progress(TaskProgress progress) {
    latest.set(Objects.requireNonNull(progress, "progress"));
    throttle.signal();
  }

  /** The task has ended: its last report goes now if it has not gone yet; nothing is sent after this. */
  void finish() {
    throttle.close(true);
  }
}
