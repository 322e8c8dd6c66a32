package io.antpool.client.impl;

import io.antpool.TaskProgress;
import io.antpool.client.ProgressListener;
import io.antpool.client.TaskCounts;
import io.antpool.protocol.impl.Throttle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an executor's {@link ProgressListener} what happens, one call at a time, on {@code executor}'s threads:
 * the network thread and the submitting threads only record (a few field writes under a lock never held during
 * a listener call), and a drain running on {@code executor} makes the calls. What arrives while a drain runs
 * waits for its next round, coalesced: one report per task (the latest) and one counts call (the current
 * figures), so what waits is bounded by the tasks outstanding, whatever the listener's speed. Counts calls are
 * throttled to one per {@value #COUNTS_INTERVAL_MILLIS} ms ({@link Throttle}); {@link #idle} and {@link #close}
 * send the figures at once. A counts call carries the figures as they are when it is made, and is skipped when
 * they are the ones the listener was last told.
 */
public final class ProgressNotifier {
  private static final Logger log = LoggerFactory.getLogger(ProgressNotifier.class);
  /** Least time between two counts calls, except when the executor is idle or closes. */
  public static final long COUNTS_INTERVAL_MILLIS = 100;

  private final Executor executor;
  private final Throttle counts;
  private final Object lock = new Object();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile ProgressListener listener;
  /** The thread running a drain, so a listener that waits for its executor's termination can be told. */
  private volatile Thread drainer;
  private boolean loggedFailure;
  /** The figures the listener was last told, so that it is told only changes; null: none yet. */
  private long[] told;

  // under lock
  private final Map<Future<?>, TaskProgress> reports = new LinkedHashMap<>();
  private long submitted;
  private long completed;
  private long failed;
  private boolean countsDue;
  /** A drain is queued or running. */
  private boolean draining;
  private boolean closed;

  /**
   * @param executor where listener calls run (never a network thread)
   * @param nanoClock a monotonic clock ({@code System::nanoTime})
   * @param timer runs deferred counts calls
   */
  public ProgressNotifier(Executor executor, LongSupplier nanoClock, Throttle.Timer timer) {
    this.executor = executor;
    this.counts = new Throttle(COUNTS_INTERVAL_MILLIS, nanoClock, timer, this::countsDue);
  }

  /** Sets (or, with null, removes) the listener; a new one is told the current figures at once. */
  public void listener(ProgressListener newListener) {
    synchronized (lock) {
      listener = newListener;
      told = null;
    }
    if (newListener != null) {
      countsDue();
    }
  }

  /** A task was accepted. */
  public void submitted() {
    synchronized (lock) {
      submitted++;
    }
    signalIfListened();
  }

  /** A task's future completed: with a value ({@code ok}), or without one. */
  public void settled(boolean ok) {
    synchronized (lock) {
      if (ok) {
        completed++;
      } else {
        failed++;
      }
    }
    signalIfListened();
  }

  /** Without a listener, nobody is told: no timer runs (a listener set later is told the figures at once). */
  private void signalIfListened() {
    if (listener != null) {
      counts.signal();
    }
  }

  /** The figures now (the listener may not have been told them yet). */
  public TaskCounts counts() {
    synchronized (lock) {
      return new TaskCounts(submitted, completed, failed);
    }
  }

  /** No task is outstanding: the figures, if they changed since the listener's last counts call, go now. */
  public void idle() {
    counts.flush();
  }

  /** A running task reported {@code progress}; {@code task} is its future as the user holds it. */
  public void taskProgress(Future<?> task, TaskProgress progress) {
    if (listener == null) {
      return;
    }
    synchronized (lock) {
      if (!closed) {
        reports.put(task, progress);
        drainSoon();
      }
    }
  }

  /**
   * No event comes any more: the last figures, if not told yet, go now, and the future completes once the
   * listener's last call has returned.
   */
  public CompletableFuture<Void> close() {
    counts.close(true);
    synchronized (lock) {
      closed = true;
      if (!draining) {
        drained.complete(null);
      }
    }
    return drained;
  }

  /** Whether the calling thread is making a listener call. */
  public boolean onListenerThread() {
    return drainer == Thread.currentThread();
  }

  /** The throttle's emission: under its lock, so it only marks the call due. */
  private void countsDue() {
    synchronized (lock) {
      if (!closed) {
        countsDue = true;
        drainSoon();
      }
    }
  }

  private void drainSoon() {
    if (!draining && listener != null) {
      draining = true;
      executor.execute(this::drain);
    }
  }

  private void drain() {
    drainer = Thread.currentThread();
    while (true) {
      List<Map.Entry<Future<?>, TaskProgress>> batch;
      long[] figures = null;
      synchronized (lock) {
        if (reports.isEmpty() && !countsDue) {
          drainer = null;
          draining = false;
          if (closed) {
            drained.complete(null);
          }
          return;
        }
        batch = new ArrayList<>(reports.entrySet());
        reports.clear();
        long[] now = {submitted, completed, failed};
        if (countsDue && !Arrays.equals(now, told)) {
          figures = now;
          told = now;
        }
        countsDue = false;
      }
      ProgressListener l = listener;
      if (l == null) {
        continue;
      }
      for (Map.Entry<Future<?>, TaskProgress> report : batch) {
        call(() -> l.taskProgress(report.getKey(), report.getValue()));
      }
      if (figures != null) {
        long[] tell = figures;
        call(() -> l.counts(tell[0], tell[1], tell[2]));
      }
    }
  }

  private void call(Runnable listenerCall) {
    try {
      listenerCall.run();
    } catch (Throwable e) { // a user's listener: whatever it throws, later events still reach it
      if (!loggedFailure) {
        loggedFailure = true;
        log.warn("the progress listener threw; it is still called for later events (further failures are logged"
            + " at debug)", e);
      } else {
        log.debug("the progress listener threw", e);
      }
    }
  }
}
