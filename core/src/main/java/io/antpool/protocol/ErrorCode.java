package io.antpool.protocol;

/**
 * Machine-readable error codes carried by {@link ErrorReply} and by {@link io.antpool.AntPoolException}. The
 * numbers are stable on the wire; new codes are added, never renumbered.
 */
public enum ErrorCode {
  /** A frame could not be decoded (truncated, bad length, unreadable JSON header). */
  BAD_FRAME(400),
  /** The first frame was not a valid hello, or a hello came twice. */
  BAD_HELLO(401),
  /** The peer speaks a protocol version this server does not. */
  UNSUPPORTED_VERSION(402),
  /** The message is not allowed for the peer's role (a worker submitting, a client sending results). */
  WRONG_ROLE(403),
  /**
   * The server requires a credential and the hello carried none: pass the server's token ({@code --token},
   * {@code ANTPOOL_TOKEN}, or the token file the server wrote on its machine) or a user and password.
   */
  AUTH_REQUIRED(407),
  /** The hello's credential is wrong: a token or a user and password the server does not accept. */
  AUTH_FAILED(408),
  /** The credential is valid but lacks the role asked for (a worker credential submitting, or the reverse). */
  ROLE_FORBIDDEN(410),
  /** Too many failed logins came from this address lately; the server checks none from it for a while. */
  TOO_MANY_FAILURES(429),
  /** A message referred to a task the receiver does not know. */
  UNKNOWN_TASK(404),
  /** A task or a result is larger than the server accepts ({@code maxFrameBytes}). */
  TOO_LARGE(413),
  /** A client reused a task id that is still in flight. */
  DUPLICATE_TASK(409),
  /** A task, a captured value or a result cannot be serialized. */
  NOT_SERIALIZABLE(422),
  /** The task threw; the result carries its exception. */
  TASK_FAILED(500),
  /** Every worker the task was given to went away before finishing it. */
  WORKER_LOST(503),
  /** A class or resource the task needs could not be fetched from the submitting client. */
  CLASS_FETCH_FAILED(504),
  /** The connection to the server was lost or refused. */
  CONNECTION_LOST(520),
  /** The executor or server is shutting down and accepts no new work. */
  SHUTTING_DOWN(521),
  /**
   * The client's queue on the server is full ({@code maxQueuedPerClient} tasks not yet handed to a worker): this
   * task was refused. Submit fewer at once (lower {@code maxWorkers}/{@code maxPending}) or ask the server's
   * operator to raise the limit.
   */
  QUEUE_FULL(429),
  /** The TLS handshake with a {@code wss://} server failed, most often because its certificate is not trusted. */
  TLS_FAILED(525),
  /** A bug in AntPool: please report it with the log. */
  INTERNAL(599);

  private final int wire;

  ErrorCode(int wire) {
    this.wire = wire;
  }

  public int wire() {
    return wire;
  }
}
