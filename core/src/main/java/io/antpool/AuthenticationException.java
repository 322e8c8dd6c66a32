package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * The server refused this peer's credential ({@link ErrorCode#AUTH_REQUIRED}, {@link ErrorCode#AUTH_FAILED},
 * {@link ErrorCode#ROLE_FORBIDDEN} or {@link ErrorCode#TOO_MANY_FAILURES}). Retrying with the same credential
 * cannot succeed: the message says what to change. It never contains the credential.
 */
public class AuthenticationException extends AntPoolException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(ErrorCode code, String message) {
    super(code, message);
  }

  /** Whether {@code code} is one of the refusals of a credential. */
  public static boolean isAuthCode(ErrorCode code) {
    return code == ErrorCode.AUTH_REQUIRED || code == ErrorCode.AUTH_FAILED || code == ErrorCode.ROLE_FORBIDDEN
        || code == ErrorCode.TOO_MANY_FAILURES;
  }
}
