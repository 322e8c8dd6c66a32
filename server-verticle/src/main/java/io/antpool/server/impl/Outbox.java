package io.antpool.server.impl;

import io.antpool.protocol.impl.BatchWriter;
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
 * <p>Binary frames ({@code antpool.v2}) written in one event-loop turn go out as one message ({@link BatchWriter}):
 * the stall watch looks at the queue after each message actually handed to the socket. Text messages (the legacy
 * v1 protocol) are never batched; one goes after the binary frames written before it.
 *
 * <p>Confined to the socket's context; {@link #flush} before closing the socket.
 */
final class Outbox {
  private final Vertx vertx;
  private final WebSocketBase ws;
  private final long stallTimeoutMillis;
  private final Runnable onStalled;
  private final BatchWriter frames;
  /** Counts the bytes written. */
  private final ServerStats stats;
  private long stalledSinceNanos = -1;
  private long timer = -1;

  /** Made on the socket's context, which it is then confined to. */
  Outbox(Vertx vertx, WebSocketBase ws, long stallTimeoutMillis, Runnable onStalled, ServerStats stats) {
    this.stats = stats;
    this.frames = new BatchWriter(vertx.getOrCreateContext(), ws, this::watch);
    this.vertx = vertx;
    this.ws = ws;
    this.stallTimeoutMillis = stallTimeoutMillis;
    this.onStalled = onStalled;
    ws.drainHandler(v -> unstall());
  }

  /**
   * Queues {@code message}, an encoded frame; the future completes when it was handed to the operating system
   * (with the frames sent in the same message), and fails if that write fails.
   */
  Future<Void> write(Buffer message) {
    if (ws.isClosed()) {
      return Future.failedFuture("the peer's connection is closed");
    }
    stats.bytesOut += message.length();
    return frames.write(message);
  }

  /** Sends the frames written in this turn now: before a close, which must not overtake them. */
  void flush() {
    frames.flush();
  }

  /** As {@link #write}, for a text message (the legacy v1 protocol). */
  Future<Void> writeText(String message) {
    if (ws.isClosed()) {
      return Future.failedFuture("the peer's connection is closed");
    }
    stats.bytesOut += message.length();
    frames.flush();
    Future<Void> written = ws.writeTextMessage(message);
    watch();
    return written;
  }

  /** Starts the stall watch if the last write filled the queue. */
  private void watch() {
    if (stalledSinceNanos < 0 && !ws.isClosed() && ws.writeQueueFull()) {
      stalledSinceNanos = System.nanoTime();
      ws.pause();
      timer = vertx.setTimer(stallTimeoutMillis, t -> {
        timer = -1;
        onStalled.run();
      });
    }
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
