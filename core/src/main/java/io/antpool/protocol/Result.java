package io.antpool.protocol;

/**
 * The outcome of a task: from a worker to the server (with the server's task id), then from the server to the
 * client (with the client's task id). The payload is the return value (for {@link Status#VALUE}) or the thrown
 * exception (for {@link Status#ERROR}) in Java serialization; empty for {@link Status#LOST}.
 *
 * @param taskId whose outcome this is
 * @param status how the task ended
 * @param errorClass for ERROR and LOST, the exception class name, so a caller that cannot decode the payload
 *     still learns what happened
 * @param errorMessage for ERROR and LOST, the exception message
 * @param worker the worker that produced the outcome (for LOST, the workers that were lost)
 * @param part for one target of a broadcast (server to client only), which one: 0 to {@code parts - 1};
 *     null for an ordinary task
 * @param parts for a broadcast, how many results the client gets under this {@code taskId} (0: no slot was
 *     a target, and this result, with status VALUE and no payload, is the only one); null for an ordinary task
 * @param cpuNanos worker to server only: the CPU time the task's thread used running it, for the dashboard;
 *     null when the worker does not measure it
 */
public record Result(long taskId, Status status, String errorClass, String errorMessage, String worker,
    Integer part, Integer parts, Long cpuNanos) implements Message {

  /** The outcome of an ordinary (not broadcast) task. */
  public Result(long taskId, Status status, String errorClass, String errorMessage, String worker) {
    this(taskId, status, errorClass, errorMessage, worker, null, null, null);
  }

  public Result(long taskId, Status status, String errorClass, String errorMessage, String worker, Integer part,
      Integer parts) {
    this(taskId, status, errorClass, errorMessage, worker, part, parts, null);
  }

  /** How a task ended. */
  public enum Status {
    /** The task returned; the payload is its value. */
    VALUE,
    /** The task threw; the payload is the exception, or a {@link io.antpool.RemoteTaskException}. */
    ERROR,
    /** The task could not be run to an end: its workers were lost, or it could not be decoded. */
    LOST
  }

  public static Result value(long taskId, String worker) {
    return new Result(taskId, Status.VALUE, null, null, worker);
  }

  public Result withTaskId(long newTaskId) {
    return new Result(newTaskId, status, errorClass, errorMessage, worker, part, parts, cpuNanos);
  }

  /** This outcome with the CPU time its task used. */
  public Result withCpuNanos(long nanos) {
    return new Result(taskId, status, errorClass, errorMessage, worker, part, parts, nanos);
  }

  /** This outcome as result {@code part} of the {@code parts} of a broadcast. */
  public Result asPart(int part, int parts) {
    return new Result(taskId, status, errorClass, errorMessage, worker, part, parts);
  }
}
