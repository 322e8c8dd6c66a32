package io.antpool.client.impl;

import io.antpool.TaskProgress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The future of a task run by an AntPool executor: a {@link CompletableFuture} whose {@link #cancel} reaches
 * the task and answers as {@link java.util.concurrent.FutureTask#cancel} does. The first cancel of a future not
 * yet done completes it with a {@link CancellationException}, returns true, and hands
 * {@code mayInterruptIfRunning} to the canceller, which stops the task where it is; every later cancel, and
 * any cancel of a future already done, returns false and does nothing. Dependent futures ({@code thenApply}
 * and the like) are plain {@code CompletableFuture}s: cancelling one of them does not reach the task.
 *
 * <p>It also holds the latest progress its task reported ({@link io.antpool.TaskContext}), set by the client's
 * network thread as each report arrives, so before the future completes.
 *
 * <p>Completion ({@link #settle}) never runs on the network thread, since dependent actions run on the thread
 * that completes a future and one that blocks would stall every other task of the client. It runs on a
 * completion pool, or, when a thread is already blocked in {@code get} or {@code join} at the moment the
 * outcome arrives, on that thread as it wakes: the round trip then costs one thread wake-up after the network
 * thread, not two (network thread to pool thread to caller). A dependent action that blocks then blocks only
 * the caller that was waiting anyway, never the network thread or another task's completion.
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
  private final Consumer<Boolean> canceller;
  private volatile TaskProgress progress;
  /** Done once the outcome arrived ({@link #settle}) or this future completed by other means (cancel). */
  private final CompletableFuture<Void> arrived = new CompletableFuture<>();
  /** Threads blocked in get or join, waiting on {@link #arrived}. */
  private final AtomicInteger waiting = new AtomicInteger();
  /** Set by {@link #settle}: completes this future with the outcome that arrived; run exactly once. */
  private volatile Runnable completion;
  private final AtomicBoolean claimed = new AtomicBoolean();

  /** @param canceller called once, with {@code mayInterruptIfRunning}, when the future is cancelled */
  public TaskFuture(Consumer<Boolean> canceller) {
    this.canceller = canceller;
    super.whenComplete((v, e) -> arrived.complete(null));
  }

  /**
   * The task's outcome arrived: {@code completion} completes this future with it (and does the bookkeeping
   * that goes with it). It runs once, on a thread blocked in get or join if there is one, else on
   * {@code completions}. Called by the network thread, which it never makes run {@code completion}.
   */
  public void settle(Runnable completion, Executor completions) {
    this.completion = completion;
    // read before the waiters are woken (once awake, they stop counting): a waiter counted here completes
    // the future itself, since it reads completion after its count goes down and this write came first; one
    // that comes later finds the outcome arrived and may claim it before the pool does
    boolean nobodyWaits = waiting.get() == 0;
    arrived.complete(null);
    if (nobodyWaits) {
      completions.execute(this::finish);
    }
  }

  /** Threads now waiting in get or join (counted before they block), for tests. */
  int waiters() {
    return waiting.get();
  }

  private void finish() {
    Runnable c = completion;
    if (c != null && claimed.compareAndSet(false, true)) {
      c.run();
    }
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    if (!isDone()) {
      waiting.incrementAndGet();
      try {
        arrived.get();
      } finally {
        waiting.decrementAndGet();
        finish();
      }
    }
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    if (!isDone()) {
      waiting.incrementAndGet();
      try {
        arrived.get(timeout, unit);
      } catch (TimeoutException e) {
        if (completion == null) {
          throw e;
        }
      } finally {
        waiting.decrementAndGet();
        finish();
      }
    }
    return super.get(timeout, unit);
  }

  @Override
  public T join() {
    if (!isDone()) {
      waiting.incrementAndGet();
      try {
        arrived.join();
      } finally {
        waiting.decrementAndGet();
        finish();
      }
    }
    return super.join();
  }

  /** The latest progress the task reported, or null if it reported none. */
  public TaskProgress progress() {
    return progress;
  }

  /** The task reported {@code latest}. */
  public void reported(TaskProgress latest) {
    progress = latest;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    // CompletableFuture.cancel answers true again once cancelled; FutureTask answers true only to the cancel
    // that did it, and so does this
    if (!super.completeExceptionally(new CancellationException("the task was cancelled"))) {
      return false;
    }
    canceller.accept(mayInterruptIfRunning);
    return true;
  }
}
