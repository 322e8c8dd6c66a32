package io.antpool.client.impl;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Runs actions (future completions and the callbacks they trigger) on threads of an unbounded pool, queued and
 * taken in turn by as few threads as keep up, instead of one hand-off to a pool thread per action.
 *
 * <p>Why: a hand-off wakes a parked thread, and with thousands of completions a second those wake-ups (futex
 * calls and context switches) were most of the client's CPU per trivial task. A thread that is already running
 * takes the next action from the queue without being woken.
 *
 * <p>Contract: an action never runs on the thread that called {@link #execute}, and an action that blocks (on
 * another AntPool future whose completion is queued behind it, say) never holds the others up for long: when
 * no runner has taken an action for {@code stallNanos} while some wait, another runner is started, whether or
 * not more actions arrive (a watch scheduled on {@code watch} while runners exist checks every
 * {@code stallNanos}). So, as with one thread per action, a dependent action that blocks on another AntPool
 * future cannot starve that future's completion. Actions may run on several threads at once, in no guaranteed
 * order.
 *
 * <p>A runner that finds the queue empty lingers for {@code lingerNanos}, parked, before it leaves: the next action
 * within that time wakes it ({@link LockSupport#unpark}) instead of handing a new runner to the pool. Under a steady
 * stream of results that hand-off (the pool's {@code SynchronousQueue}, then a wake-up) came once per burst, on the
 * client's network thread: 3 to 7 % of its samples in profiles at 1,024 tasks in flight.
 */
public final class CompletionRelay implements Executor {
  private final Executor threads;
  private final ScheduledExecutorService watch;
  private final long stallNanos;
  private final long lingerNanos;
  private final LongSupplier clock;
  private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
  /** Runners started and not yet finished. */
  private final AtomicInteger runners = new AtomicInteger();
  /** Whether a stall check is scheduled (one at a time, while runners exist). */
  private final AtomicBoolean watching = new AtomicBoolean();
  /** The runner parked while it lingers, if any (one at a time). */
  private final AtomicReference<Thread> lingering = new AtomicReference<>();
  /** When a runner last took an action, or the last runner was started. */
  private volatile long progressAt;

  /**
   * @param threads an unbounded pool (each runner occupies one of its threads until the queue is empty)
   * @param watch runs the stall check; one thread is enough
   * @param stallNanos how long waiting actions may see no runner take one before another runner starts
   * @param lingerNanos how long a runner that ran out of actions waits for the next before it leaves; 0: it leaves
   *     at once
   */
  public CompletionRelay(Executor threads, ScheduledExecutorService watch, long stallNanos, long lingerNanos,
      LongSupplier clock) {
    this.threads = threads;
    this.watch = watch;
    this.stallNanos = stallNanos;
    this.lingerNanos = lingerNanos;
    this.clock = clock;
  }

  @Override
  public void execute(Runnable action) {
    queue.add(action);
    if (runners.get() == 0 && runners.compareAndSet(0, 1)) {
      start();
    } else if (!wakeLingering() && clock.getAsLong() - progressAt > stallNanos) {
      addRunner();
    }
  }

  /** Wakes the lingering runner, if there is one, to take the actions queued. */
  private boolean wakeLingering() {
    Thread runner = lingering.get();
    if (runner != null && lingering.compareAndSet(runner, null)) {
      LockSupport.unpark(runner);
      return true;
    }
    return false;
  }

  /** Runners started so far that have not finished: for tests. */
  int runners() {
    return runners.get();
  }

  private void addRunner() {
    runners.incrementAndGet();
    start();
  }

  /** Starts a runner already counted in {@link #runners}. */
  private void start() {
    progressAt = clock.getAsLong();
    threads.execute(this::run);
    watchWhileRunning();
  }

  private void watchWhileRunning() {
    if (watching.compareAndSet(false, true)) {
      watch.schedule(this::check, stallNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** While any runner exists: starts another when the queue has not moved for {@code stallNanos}. */
  private void check() {
    if (runners.get() == 0) {
      watching.set(false);
      if (runners.get() > 0) { // a runner started meanwhile, and may have found the watch still on
        watchWhileRunning();
      }
      return;
    }
    if (!queue.isEmpty() && clock.getAsLong() - progressAt > stallNanos) {
      addRunner();
    }
    watch.schedule(this::check, stallNanos, TimeUnit.NANOSECONDS);
  }

  private void run() {
    while (true) {
      Runnable action;
      while ((action = queue.poll()) != null) {
        progressAt = clock.getAsLong();
        try {
          action.run();
        } catch (RuntimeException | Error e) {
          Thread t = Thread.currentThread();
          t.getUncaughtExceptionHandler().uncaughtException(t, e); // as a pool thread reports it, and go on
        }
      }
      if (linger()) {
        continue;
      }
      // leave, unless an action came in after the last poll and no other runner is left to take it
      if (runners.decrementAndGet() > 0 || queue.isEmpty() || !runners.compareAndSet(0, 1)) {
        return;
      }
      watchWhileRunning();
    }
  }

  /**
   * Waits, parked, up to {@code lingerNanos} for an action, unless another runner lingers already (or the thread is
   * interrupted: its pool is shutting down).
   *
   * @return whether actions wait: the runner goes on taking them
   */
  private boolean linger() {
    Thread me = Thread.currentThread();
    if (lingerNanos <= 0 || !lingering.compareAndSet(null, me)) {
      return false;
    }
    // an action queued from now on finds this runner in 'lingering' and unparks it (or finds the queue checked here)
    long deadline = System.nanoTime() + lingerNanos;
    while (lingering.get() == me && queue.isEmpty() && !me.isInterrupted()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(this, left);
    }
    lingering.compareAndSet(me, null);
    return !queue.isEmpty();
  }
}
