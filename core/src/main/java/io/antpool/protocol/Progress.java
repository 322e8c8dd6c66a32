package io.antpool.protocol;

import io.antpool.TaskProgress;

/**
 * A running task's progress, as it reported it ({@link io.antpool.TaskContext}): from a worker to the server
 * (with the server's task id), then from the server to the client (with the client's task id), as
 * {@link Result} travels. A worker sends at most one every 250 ms per task, and none after the task's result.
 *
 * @param taskId the task
 * @param done units done so far, at least 0
 * @param total units in all, 0 when not known; otherwise at least {@code done}
 * @param message what the task is doing, at most {@value TaskProgress#MAX_MESSAGE_CHARS} characters, or null
 */
public record Progress(long taskId, long done, long total, String message) implements Message {

  public static Progress of(long taskId, TaskProgress progress) {
    return new Progress(taskId, progress.done(), progress.total(), progress.message());
  }

  /** What is wrong with the figures ({@link TaskProgress#problem}), or null when they are valid. */
  public String problem() {
    return TaskProgress.problem(done, total);
  }

  /**
   * The figures as a {@link TaskProgress} (its message cut to the limit).
   *
   * @throws IllegalArgumentException when they break its rules ({@link TaskProgress#problem} says which)
   */
  public TaskProgress value() {
    return new TaskProgress(done, total, message);
  }
}
