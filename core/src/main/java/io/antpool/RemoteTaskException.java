package io.antpool;

import io.antpool.protocol.ErrorCode;

/**
 * Stands for an exception a task threw on a worker when the original exception object could not be rebuilt
 * on the caller (its class is not on the caller's class path, or it does not serialize). The original class
 * name, message and remote stack trace are kept: {@link #remoteClassName()} and {@link #getStackTrace()}.
 */
public class RemoteTaskException extends AntPoolException {
  private static final long serialVersionUID = 1L;
  private final String remoteClassName;

  public RemoteTaskException(String remoteClassName, String remoteMessage, StackTraceElement[] remoteTrace) {
    super(ErrorCode.TASK_FAILED, remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage));
    this.remoteClassName = remoteClassName;
    if (remoteTrace != null) {
      setStackTrace(remoteTrace);
    }
  }

  /** The fully qualified name of the exception class the task threw on the worker. */
  public String remoteClassName() {
    return remoteClassName;
  }
}
