package io.antpool.protocol;

/** Constants shared by every AntPool peer: the WebSocket contract and the event-bus addresses. */
public final class Protocol {
  /** The WebSocket subprotocol of Java peers; a connection without it speaks the legacy Python protocol. */
  public static final String SUBPROTOCOL = "antpool.v2";
  /** The protocol version carried in {@link Hello} and {@link Welcome}. */
  public static final int VERSION = 2;
  /** The WebSocket endpoint. */
  public static final String WS_PATH = "/ws";
  /** The server's default port, as the original antpoolsrv. */
  public static final int DEFAULT_PORT = 8086;
  /**
   * Largest frame any AntPool peer accepts, header and payload together: the ceiling of the server's
   * {@code maxFrameBytes}, which is usually lower ({@link #DEFAULT_MAX_FRAME_BYTES}).
   */
  public static final int MAX_FRAME_BYTES = 256 * 1024 * 1024;
  /** The server's default {@code maxFrameBytes}: a larger message is refused with close code 1009. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
  /** Largest JSON header accepted. */
  public static final int MAX_HEADER_BYTES = 64 * 1024;

  /** Event-bus address where in-process and clustered workers send their {@link Hello}. */
  public static final String BUS_REGISTER = "antpool.server.register";
  /** Event-bus address where workers send {@link Result}s. */
  public static final String BUS_RESULTS = "antpool.server.results";
  /** Event-bus address where workers send {@link Fetch} requests (request/reply). */
  public static final String BUS_FETCH = "antpool.server.fetch";
  /** Event-bus address where workers announce that they leave (body: their slot address). */
  public static final String BUS_LEAVE = "antpool.server.leave";
  /**
   * Event-bus address where a bus worker slot asks, every few seconds, whether the server still holds it
   * (request/reply; the reply body is one byte, 1 or 0): a server that restarted answers 0, and the slot
   * registers again.
   */
  public static final String BUS_PING = "antpool.server.ping";
  /** Event-bus message header naming the sending worker's slot address. */
  public static final String BUS_SLOT_HEADER = "antpool-slot";
  /**
   * Event-bus message header naming the cluster member (the cluster manager's node id) a clustered worker slot
   * lives on: the server drops the slot when that member leaves the cluster.
   */
  public static final String BUS_NODE_HEADER = "antpool-node";
  /** Event-bus address where the server publishes {@link SessionEnded} to every worker slot. */
  public static final String BUS_SESSION_ENDED = "antpool.sessions.ended";
  /** Prefix of worker slot addresses. */
  public static final String BUS_SLOT_PREFIX = "antpool.slot.";

  /** The AntPool version this build carries. */
  public static final String ANTPOOL_VERSION = version();

  private Protocol() {
  }

  private static String version() {
    String v = Protocol.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
