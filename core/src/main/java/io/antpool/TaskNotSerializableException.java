package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * A task, a value it captures, or its result cannot be written with Java serialization, so it cannot travel
 * between JVMs. The message names the offending class, the path of fields that reaches it, and the fix.
 *
 * <p>It is an {@link IllegalArgumentException}: the argument given to {@code submit} (or the value a task
 * returned) is not one AntPool can send. Thrown by {@code submit} before anything is sent; for a result, it
 * is the cause of the task's {@code ExecutionException}.
 */
public class TaskNotSerializableException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TaskNotSerializableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Always {@link ErrorCode#NOT_SERIALIZABLE}, as for {@link AntPoolException#code()}. */
  public ErrorCode code() {
    return ErrorCode.NOT_SERIALIZABLE;
  }
}
