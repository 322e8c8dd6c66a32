package io.antpool.client.impl;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The {@link java.util.concurrent.RunnableFuture} {@code AntPoolExecutor.newTaskFor} makes, for
 * {@link java.util.concurrent.ExecutorCompletionService} (which asks for one, wraps it in a task of its own and
 * passes that to {@code execute}). The task is submitted to the pool when {@code execute} receives the wrapper
 * ({@link #start}); the wrapper is run once the pool's future has settled, on a completion thread, so it never
 * waits: running it copies the pool's outcome (value, exception or cancellation) into this future, and then the
 * completion service queues it. Cancelling this future cancels the pool's task too.
 */
public final class RemoteTask<T> extends FutureTask<T> {
  private final Object task;
  private final T value;
  private final AtomicReference<CompletableFuture<T>> remote;

  /**
   * @param task the user's task: a serializable callable or runnable, sent as it is
   * @param value for a runnable, the future's value (may be null)
   */
  public RemoteTask(Object task, T value) {
    this(task, value, new AtomicReference<>());
  }

  private RemoteTask(Object task, T value, AtomicReference<CompletableFuture<T>> remote) {
    super(() -> outcome(remote.get()));
    this.task = task;
    this.value = value;
    this.remote = remote;
  }

  /** For a runnable, the value its future completes with. */
  public T value() {
    return value;
  }

  /**
   * Submits the task with {@code submit} (which throws as {@code execute} does: after shutdown, for a task that
   * does not serialize) and runs {@code wrapper} on {@code completions} once the pool's future settles.
   */
  @SuppressWarnings("unchecked")
  public void start(Function<Object, CompletableFuture<?>> submit, Runnable wrapper, Executor completions) {
    CompletableFuture<T> f = (CompletableFuture<T>) submit.apply(task);
    remote.set(f);
    f.whenComplete((v, e) -> completions.execute(wrapper));
  }

  @Override
  public void run() {
    CompletableFuture<T> f = remote.get();
    if (f != null && f.isCancelled()) {
      cancel(false); // cancelled in the pool (shutdownNow, say): reported as cancelled, not as a failure
    }
    super.run();
  }

  private static <T> T outcome(CompletableFuture<T> remote) throws Exception {
    try {
      return remote.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception ex) {
        throw ex;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(false); // nothing runs here that an interrupt could stop
    CompletableFuture<T> f = remote.get();
    if (cancelled && f != null) {
      f.cancel(mayInterruptIfRunning);
    }
    return cancelled;
  }
}
