package io.antpool.server.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * Everything the server sends a peer goes through its outbox, which keeps a peer that does not read from
 * making the server buffer without bound: when the socket's write queue is full ({@code writeQueueFull()},
 * i.e. the peer has not taken what was already sent), the server stops reading from that peer (so the
 * requests that cause more writes stop too, and nothing else on the event loop waits) until the queue drains;
 * if it stays full for {@code stallTimeoutMillis}, {@code onStalled} runs once, to close the connection.
 *
 * <p>Confined to the socket's context.
 */
final class Outbox {
  private final Vertx vertx;
  private final WebSocketBase ws;
  private final long stallTimeoutMillis;
  private final Runnable onStalled;
  /** Counts the bytes written. */
  private final ServerStats stats;
  private long stalledSinceNanos = -1;
  private long timer = -1;

  Outbox(Vertx vertx, WebSocketBase ws, long stallTimeoutMillis, Runnable onStalled, ServerStats stats) {
    this.stats = stats;
    this.vertx = vertx;
    this.ws = ws;
    this.stallTimeoutMillis = stallTimeoutMillis;
    this.onStalled = onStalled;
    ws.drainHandler(v -> unstall());
  }

  /** Queues {@code message}; the future completes when it was handed to the operating system. */
  Future<Void> write(Buffer message) {
    if (ws.isClosed()) {
      return Future.failedFuture("the peer's connection is closed");
    }
    stats.bytesOut += message.length();
    return watch(ws.writeBinaryMessage(message));
  }

  /** As {@link #write}, for a text message (the legacy v1 protocol). */
  Future<Void> writeText(String message) {
    if (ws.isClosed()) {
      return Future.failedFuture("the peer's connection is closed");
    }
    stats.bytesOut += message.length();
    return watch(ws.writeTextMessage(message));
  }

  /** Starts the stall watch if this write filled the queue. */
  private Future<Void> watch(Future<Void> written) {
    if (stalledSinceNanos < 0 && !ws.isClosed() && ws.writeQueueFull()) {
      stalledSinceNanos = System.nanoTime();
      ws.pause();
      timer = vertx.setTimer(stallTimeoutMillis, t -> {
        timer = -1;
        onStalled.run();
      });
    }
    return written;
  }

  /** Whether the write queue is full now: the peer is not keeping up with what it is sent. */
  boolean stalled() {
    return stalledSinceNanos >= 0;
  }

  /** How long the write queue has been full, in milliseconds; 0 when it is not. */
  long stalledMillis() {
    return stalledSinceNanos < 0 ? 0 : (System.nanoTime() - stalledSinceNanos) / 1_000_000;
  }

  /** The connection is over: no timer outlives it. */
  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void unstall() {
    if (stalledSinceNanos < 0) {
      return;
    }
    stalledSinceNanos = -1;
    stop();
    if (!ws.isClosed()) {
      ws.resume();
    }
  }
}
