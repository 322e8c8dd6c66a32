package io.antpool.server.impl;

/** How a worker slot reaches the server. The scheduler treats all kinds alike. */
public enum WorkerKind {
  /** A WorkerVerticle deployed in the server's own Vert.x instance. */
  EMBEDDED,
  /** A worker JVM connected over a WebSocket, bridged onto the event bus by the server. */
  WEBSOCKET,
  /** A worker JVM that joined the server's Vert.x cluster and takes its tasks on the clustered event bus. */
  CLUSTERED;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
