package io.antpool;

import java.util.Arrays;
import java.util.Optional;

/**
 * Says where a task's exception comes from: attached by the client, as a suppressed exception, to every
 * exception a task threw on a worker (the original, rebuilt, or its {@link RemoteTaskException} stand-in). It
 * shows in the stack trace as {@code Suppressed: io.antpool.TaskOrigin: the task ran on worker NAME ...}, and
 * {@link #workerOf(Throwable)} reads it back. It has no stack trace of its own: the exception it is attached to
 * carries the worker's.
 */
public final class TaskOrigin extends Exception {
  private static final long serialVersionUID = 1L;
  private final String worker;

  public TaskOrigin(String worker) {
    super("the task ran on worker " + worker + "; the stack trace above is that worker's", null, false, false);
    this.worker = worker;
  }

  /** The name of the worker (slot) that ran the task, as the status API and the logs show it. */
  public String worker() {
    return worker;
  }

  /** The worker that ran the task whose exception {@code thrown} is, if the client attached it. */
  public static Optional<String> workerOf(Throwable thrown) {
    return thrown == null ? Optional.empty() : Arrays.stream(thrown.getSuppressed())
        .filter(TaskOrigin.class::isInstance).map(t -> ((TaskOrigin) t).worker()).findFirst();
  }
}
