package io.antpool.protocol;

/**
 * WebSocket close status codes the server uses, with the reason text beside them (see docs/protocol.md,
 * "Limits and closes"). 1002 and 1009 are the RFC 6455 codes; 4000 and up are AntPool's own. A peer that is
 * closed with one of these should not reconnect and repeat what it did: each but {@link #REPLACED} names a
 * fault on its side.
 */
public final class CloseCodes {
  /** The peer broke the protocol before it was admitted: no subprotocol, or a bad or missing hello. */
  public static final short PROTOCOL_ERROR = 1002;
  /** A message exceeded the server's {@code maxFrameBytes} (RFC 6455 "message too big"). */
  public static final short TOO_BIG = 1009;
  /** Nothing, not even a pong, came from the peer for {@code peerTimeoutMillis}. */
  public static final short SILENT = 4000;
  /** The peer sent no hello within {@code helloTimeoutMillis} of connecting. */
  public static final short NO_HELLO = 4001;
  /** The peer did not read what the server sent it: its write queue stayed full. */
  public static final short NOT_READING = 4002;
  /**
   * The client resumed its session on another connection while this one still seemed open; not a fault, and
   * the client, which closed this connection's side already, does not reconnect on it.
   */
  public static final short REPLACED = 4003;
  /**
   * The hello was refused for its credential ({@code AUTH_REQUIRED}, {@code AUTH_FAILED},
   * {@code ROLE_FORBIDDEN} or {@code TOO_MANY_FAILURES}; the error reply before the close says which and what to
   * do). A peer closed with it does not reconnect with the same credential.
   */
  public static final short NOT_AUTHORIZED = 4010;

  /** RFC 6455 normal closure: the peer is done (a client's program closed it; its session ends at once). */
  public static final short NORMAL = 1000;
  /** RFC 6455 going away: the peer is shutting down on purpose; the same as {@link #NORMAL} here. */
  public static final short GOING_AWAY = 1001;

  /**
   * RFC 6455 abnormal closure: never sent; what Vert.x reports as the close status of a connection that ended
   * without a close frame.
   */
  public static final short ABNORMAL = 1006;

  /** RFC 6455 allows 123 bytes of reason in a close frame; a longer one is cut to fit. */
  private static final int MAX_REASON_BYTES = 123;

  private CloseCodes() {
  }

  /**
   * Whether a peer that closed with {@code code} (null: it sent no close frame) left on purpose. A client that
   * leaves so ends its session; any other close (no close frame as when a network fails, or a code of its own,
   * as when it found the server silent) keeps the session for the client to resume.
   */
  public static boolean isGoodbye(Short code) {
    return code != null && (code == NORMAL || code == GOING_AWAY);
  }

  /**
   * {@code reason} cut to what a close frame may carry (123 UTF-8 bytes): a longer one would make the peer's
   * WebSocket library fail the close itself. The full text goes in the error reply sent before the close.
   */
  public static String fit(String reason) {
    String cut = reason;
    while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }
}
