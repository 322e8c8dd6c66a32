package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * A task, a value it captures, or its result cannot be written with Java serialization, so it cannot travel
 * between JVMs. The message names the offending class and the fix.
 */
public class TaskNotSerializableException extends AntPoolException {
  private static final long serialVersionUID = 1L;

  public TaskNotSerializableException(String message, Throwable cause) {
    super(ErrorCode.NOT_SERIALIZABLE, message, cause);
  }
}
