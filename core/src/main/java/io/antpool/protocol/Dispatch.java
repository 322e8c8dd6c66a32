package io.antpool.protocol;

/**
 * Server to a worker slot: run this task. The payload is the client's task bytes, unchanged.
 *
 * @param taskId the server's id for the task; the worker's {@link Result} names it
 * @param session the submitting client's session, from which the worker fetches missing classes
 * @param kind whether to call or run the task object
 * @param rtype isolation mode, as in {@link Submit}
 * @param attempt 1 for the first run, more when the task is rerun after a worker was lost
 * @param loader the client class loader the task's classes come from, as in {@link Submit}
 * @param timeoutMillis the task's timeout as in {@link Submit}, counted on the worker from the task's start
 */
public record Dispatch(long taskId, String session, TaskKind kind, int rtype, int attempt, int loader,
    long timeoutMillis) implements Message {

  /** A dispatch of a task whose classes come from the client's first loader, without a timeout. */
  public Dispatch(long taskId, String session, TaskKind kind, int rtype, int attempt) {
    this(taskId, session, kind, rtype, attempt, 0, 0);
  }

  /** A dispatch without a timeout. */
  public Dispatch(long taskId, String session, TaskKind kind, int rtype, int attempt, int loader) {
    this(taskId, session, kind, rtype, attempt, loader, 0);
  }
}
