package io.antpool.client;

import java.util.concurrent.ExecutionException;

/**
 * What one worker slot made of a broadcast task: its value, or what it threw ({@link io.antpool.WorkerLostException}
 * when the worker left before it answered; a part of a broadcast is never rerun elsewhere).
 *
 * @param worker the slot's name, as the dashboard shows it ({@code --name} of the worker, with {@code #slot})
 * @param value the task's value; null when it failed
 * @param error what the task threw, or why it has no value; null when it returned
 */
public record WorkerResult<T>(String worker, T value, Throwable error) {

  public boolean succeeded() {
    return error == null;
  }

  /**
   * The value, as {@link java.util.concurrent.Future#get()} would give it.
   *
   * @throws ExecutionException carrying the task's exception when it failed on this worker
   */
  public T get() throws ExecutionException {
    if (error != null) {
      throw new ExecutionException("the broadcast task failed on worker " + worker + ": " + error, error);
    }
    return value;
  }
}
