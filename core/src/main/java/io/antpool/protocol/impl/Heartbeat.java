package io.antpool.protocol.impl;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * Tells a live peer from a dead one on a WebSocket, whatever the peer is doing: a peer that sent nothing during
 * the last quarter of {@code timeoutMillis} (or another quiet time) is pinged, and a peer from which nothing has come (no frame, no pong:
 * Vert.x answers pings by itself, on the event loop, even while every worker thread of the peer is busy) for
 * {@code timeoutMillis} is declared dead. A task that computes for hours sends nothing, but its worker's event
 * loop still answers pings, so it is never mistaken for a dead one; a peer whose machine or network went away,
 * with its TCP connection left half-open, is found within the timeout (and at most an eighth of it more) instead
 * of the operating system's minutes.
 *
 * <p>The heartbeats of one context and timeout share one timer ({@link HeartbeatSweep}): a server with thousands
 * of connections wakes up a few times per timeout, not once per ping. Time the context itself could not run (a
 * long GC pause) is not held against its peers.
 *
 * <p>Confined to the socket's context: create, {@link #heard} and {@link #stop} it there.
 */
public final class Heartbeat {
  private static final Buffer PING = Buffer.buffer("antpool");
  private final WebSocketBase ws;
  private final HeartbeatSweep sweep;
  private final Runnable onDead;
  private long lastHeardNanos = System.nanoTime();
  private boolean stopped;

  private Heartbeat(WebSocketBase ws, HeartbeatSweep sweep, Runnable onDead) {
    this.ws = ws;
    this.sweep = sweep;
    this.onDead = onDead;
  }

  /**
   * Starts watching {@code ws}, pinging the peer when it was quiet for a quarter of {@code timeoutMillis};
   * {@code onDead} runs once, on the socket's context (its event loop), when nothing has come from the peer for
   * {@code timeoutMillis}.
   */
  public static Heartbeat start(Vertx vertx, WebSocketBase ws, long timeoutMillis, Runnable onDead) {
    return start(vertx, ws, timeoutMillis, Math.max(10, timeoutMillis / 4), onDead);
  }

  /**
   * As {@link #start(Vertx, WebSocketBase, long, Runnable)}, pinging the peer only once it was quiet for
   * {@code quietMillis} (less than {@code timeoutMillis}). The server waits longer than its peers do, so that a
   * peer that pings it on its own schedule is not pinged back.
   */
  public static Heartbeat start(Vertx vertx, WebSocketBase ws, long timeoutMillis, long quietMillis,
      Runnable onDead) {
    if (quietMillis <= 0 || quietMillis >= timeoutMillis) {
      throw new IllegalArgumentException("a heartbeat pings a quiet peer before it declares it dead: quietMillis "
          + quietMillis + " must be above 0 and below timeoutMillis " + timeoutMillis);
    }
    Heartbeat heartbeat = new Heartbeat(ws, HeartbeatSweep.of(vertx, timeoutMillis, quietMillis), onDead);
    ws.pongHandler(pong -> heartbeat.heard());
    heartbeat.sweep.watch(heartbeat);
    return heartbeat;
  }

  /** Something came from the peer: it is alive. */
  public void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /**
   * {@code next}, preceded by {@link #heard}: the handler of the socket's frames. Every frame counts, the peer's
   * own pings too, so a peer that pings this side on its own schedule is never pinged back while it does.
   */
  public Handler<WebSocketFrame> hearingFrames(Handler<WebSocketFrame> next) {
    return frame -> {
      heard();
      next.handle(frame);
    };
  }

  /** The socket closed: no more pings. */
  public void stop() {
    if (!stopped) {
      stopped = true;
      sweep.unwatch(this);
    }
  }

  long lastHeardNanos() {
    return lastHeardNanos;
  }

  void ping() {
    ws.writePing(PING);
  }

  /** Silent for the timeout: stops watching, then tells the owner, once. */
  void dead() {
    if (!stopped) {
      stop();
      onDead.run();
    }
  }
}
