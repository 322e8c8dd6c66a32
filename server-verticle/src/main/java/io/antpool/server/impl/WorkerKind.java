package io.antpool.server.impl;

/**
 * How a worker slot reaches the server. The scheduler treats all kinds alike, except that a slot runs only tasks
 * of its {@link #language()}.
 */
public enum WorkerKind {
  /** A WorkerVerticle deployed in the server's own Vert.x instance. */
  EMBEDDED,
  /** A worker JVM connected over a WebSocket, bridged onto the event bus by the server. */
  WEBSOCKET,
  /** A worker JVM that joined the server's Vert.x cluster and takes its tasks on the clustered event bus. */
  CLUSTERED,
  /** A resource client of the original Python protocol (v1), connected over a WebSocket: runs Python tasks. */
  PYTHON;

  public Language language() {
    return this == PYTHON ? Language.PYTHON : Language.JAVA;
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
