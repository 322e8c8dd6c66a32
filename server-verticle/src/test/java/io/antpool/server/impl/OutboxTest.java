package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Frame;
import io.antpool.protocol.impl.FrameBatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's outbox on a real loopback WebSocket: the frames written to a peer in one event-loop turn reach it
 * as one message, in order, each write's future completing with that message's write; a text message (v1) is
 * never batched and keeps its place after them.
 */
class OutboxTest {
  private Vertx vertx;
  /** What the peer received: a Buffer per binary message, a String per text message. */
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final ServerStats stats = new ServerStats();
  private Context serverContext;
  private Outbox outbox;
  private ServerWebSocket serverSocket;

  @BeforeEach
  void connect() throws Exception {
    vertx = Vertx.vertx();
    CompletableFuture<Void> accepted = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
      serverContext = vertx.getOrCreateContext();
      serverSocket = ws;
      outbox = new Outbox(vertx, ws, 30_000, () -> { }, stats);
      accepted.complete(null);
    });
    await(server.listen(0, "127.0.0.1"));
    WebSocket peer = await(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/")));
    peer.binaryMessageHandler(received::add);
    peer.textMessageHandler(received::add);
    accepted.get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private Object next() throws InterruptedException {
    Object message = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(message, "nothing received within 30 s");
    return message;
  }

  private static Buffer cancel(long taskId) {
    return Frame.of(new Cancel(taskId, false)).encode();
  }

  private static long taskId(Buffer frame) {
    return ((Cancel) Frame.decode(frame).header()).taskId();
  }

  @Test
  void framesWrittenInOneTurnReachThePeerAsOneMessageAndEveryWriteCompletes() throws Exception {
    List<Future<Void>> writes = new ArrayList<>();
    CompletableFuture<Future<?>> all = new CompletableFuture<>();
    serverContext.runOnContext(v -> {
      for (long id = 1; id <= 3; id++) {
        writes.add(outbox.write(cancel(id)));
      }
      all.complete(Future.join(writes));
    });
    await(all.get(30, TimeUnit.SECONDS));
    writes.forEach(w -> assertTrue(w.succeeded(), "each frame's future completes with the batch's write"));
    List<Buffer> frames = FrameBatch.split((Buffer) next());
    assertEquals(List.of(1L, 2L, 3L), frames.stream().map(OutboxTest::taskId).toList());
    assertEquals(3 * cancel(1).length(), stats.bytesOut, "bytes counted per frame, as encoded");
  }

  @Test
  void aTextMessageGoesAfterTheFramesWrittenBeforeItAndIsNeverBatched() throws Exception {
    CompletableFuture<Future<Void>> written = new CompletableFuture<>();
    serverContext.runOnContext(v -> {
      outbox.write(cancel(1));
      outbox.write(cancel(2));
      outbox.writeText("{\"legacy\": true}");
      written.complete(outbox.write(cancel(3)));
    });
    await(written.get(30, TimeUnit.SECONDS));
    assertEquals(2, FrameBatch.split((Buffer) next()).size());
    assertEquals("{\"legacy\": true}", next());
    assertEquals(3L, taskId((Buffer) next()), "a lone frame, without a batch around it");
  }

  @Test
  void flushBeforeACloseSendsWhatWasWrittenFirst() throws Exception {
    CompletableFuture<Future<Void>> written = new CompletableFuture<>();
    serverContext.runOnContext(v -> {
      Future<Void> w = outbox.write(cancel(7));
      outbox.flush();
      serverSocket.close();
      written.complete(w);
    });
    await(written.get(30, TimeUnit.SECONDS));
    assertEquals(7L, taskId((Buffer) next()), "sent before the close frame");
  }
}
