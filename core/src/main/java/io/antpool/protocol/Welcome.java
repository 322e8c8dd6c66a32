package io.antpool.protocol;

import java.util.List;

/**
 * The server's answer to a valid {@link Hello}.
 *
 * @param sessionId the id the server gave this connection; class fetches name it. For a client that asked to
 *     resume, the same id if the server still held that session (its grace period had not run out), else a new
 *     one: the old session is gone with all its tasks, and the client must submit again what it awaits
 * @param protocolVersion the version the server speaks
 * @param serverVersion the AntPool version of the server
 * @param maxFrameBytes the largest message the server accepts from this peer (its {@code maxFrameBytes});
 *     0 when it sets no limit (the event bus). A peer does not send a larger task or result: it reports it as
 *     {@link ErrorCode#TOO_LARGE} instead, which a closed connection would not tell anyone
 * @param resend on a resumed session, the awaited tasks the server does not hold (their submit or their result
 *     was lost with the old connection): the client submits them again. Results produced while the client was
 *     away follow this welcome. Empty otherwise
 */
public record Welcome(String sessionId, int protocolVersion, String serverVersion, int maxFrameBytes,
    List<Long> resend) implements Message {

  public Welcome {
    resend = resend == null ? List.of() : List.copyOf(resend);
  }

  /** The welcome of a new session, from a server that sets no frame limit. */
  public Welcome(String sessionId, int protocolVersion, String serverVersion) {
    this(sessionId, protocolVersion, serverVersion, 0, List.of());
  }

  /** The welcome of a new session. */
  public Welcome(String sessionId, int protocolVersion, String serverVersion, int maxFrameBytes) {
    this(sessionId, protocolVersion, serverVersion, maxFrameBytes, List.of());
  }
}
