package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * Base of every error AntPool itself raises (as opposed to errors thrown by a task). Each carries a
 * machine-readable {@link ErrorCode} and a message that names the cause and what to do about it.
 */
public class AntPoolException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  /** Without a cause; as with {@link RuntimeException#RuntimeException(String)}, one may be set by initCause. */
  public AntPoolException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public AntPoolException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }
}
