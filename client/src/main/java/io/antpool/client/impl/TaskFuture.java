package io.antpool.client.impl;

import io.antpool.TaskProgress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
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
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
  private final Consumer<Boolean> canceller;
  private volatile TaskProgress progress;

  /** @param canceller called once, with {@code mayInterruptIfRunning}, when the future is cancelled */
  public TaskFuture(Consumer<Boolean> canceller) {
    this.canceller = canceller;
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
