package io.antpool.protocol.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * Tells a live peer from a dead one on a WebSocket, whatever the peer is doing: a ping goes out every quarter of
 * {@code timeoutMillis} to a peer that sent nothing during the last quarter, and a peer from which nothing has come (no frame, no pong: Vert.x answers pings by
 * itself, on the event loop, even while every worker thread of the peer is busy) for {@code timeoutMillis} is
 * declared dead. A task that computes for hours sends nothing, but its worker's event loop still answers
 * pings, so it is never mistaken for a dead one; a peer whose machine or network went away, with its TCP
 * connection left half-open, is found within the timeout instead of the operating system's minutes.
 *
 * <p>Confined to the socket's context: create, {@link #heard} and {@link #stop} it there.
 */
public final class Heartbeat {
  private static final Buffer PING = Buffer.buffer("antpool");
  private final Vertx vertx;
  private final long timer;
  private long lastHeardNanos = System.nanoTime();

  private Heartbeat(Vertx vertx, WebSocketBase ws, long timeoutMillis, Runnable onDead) {
    this.vertx = vertx;
    ws.pongHandler(pong -> heard());
    long period = Math.max(10, timeoutMillis / 4);
    this.timer = vertx.setPeriodic(period, id -> {
      long silentNanos = System.nanoTime() - lastHeardNanos;
      if (silentNanos > timeoutMillis * 1_000_000L) {
        vertx.cancelTimer(id);
        onDead.run();
      } else if (silentNanos >= period * 1_000_000L) {
        // only a quiet peer is asked: one that sent anything within the last period is alive, and a server
        // with thousands of busy peers then sends no pings at all
        ws.writePing(PING);
      }
    });
  }

  /**
   * Starts watching {@code ws}; {@code onDead} runs once, on the socket's context, when nothing has come from
   * the peer for {@code timeoutMillis}.
   */
  public static Heartbeat start(Vertx vertx, WebSocketBase ws, long timeoutMillis, Runnable onDead) {
    return new Heartbeat(vertx, ws, timeoutMillis, onDead);
  }

  /** Something came from the peer: it is alive. */
  public void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** The socket closed: no more pings. */
  public void stop() {
    vertx.cancelTimer(timer);
  }
}
