package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * A task was handed to workers that all went away before finishing it, as many times as the server allows
 * ({@code maxAttempts} in the server configuration). The message names the workers.
 */
public class WorkerLostException extends AntPoolException {
  private static final long serialVersionUID = 1L;

  public WorkerLostException(String message) {
    super(ErrorCode.WORKER_LOST, message);
  }
}
