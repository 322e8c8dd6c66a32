package io.antpool.protocol;

import io.antpool.AntPoolException;

/** A frame or message broke the protocol; {@link #code()} says how. */
public class ProtocolException extends AntPoolException {
  private static final long serialVersionUID = 1L;

  public ProtocolException(ErrorCode code, String message) {
    super(code, message);
  }

  public ProtocolException(ErrorCode code, String message, Throwable cause) {
    super(code, message, cause);
  }

  public ErrorReply toReply(Long taskId) {
    return new ErrorReply(code(), getMessage(), taskId);
  }
}
