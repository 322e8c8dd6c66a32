package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BatchWriter} on a real WebSocket over loopback: what one turn writes arrives as one message, in order,
 * and every frame's future follows the write of the message that carried it.
 */
class BatchWriterTest {
  private Vertx vertx;
  private final BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
  private Context context;
  private WebSocket ws;
  private BatchWriter writer;
  private final AtomicInteger socketWrites = new AtomicInteger();

  @BeforeEach
  void connect() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1024 * 1024)
            .setMaxWebSocketMessageSize(4 * 1024 * 1024))
        .webSocketHandler(s -> s.binaryMessageHandler(received::add));
    await(server.listen(0, "127.0.0.1"));
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1024 * 1024));
    context = vertx.getOrCreateContext();
    ws = onContext(v -> client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/")));
    writer = new BatchWriter(context, ws, socketWrites::incrementAndGet);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Runs {@code action} in one task on the socket's context and waits for the future it returns. */
  private <T> T onContext(Function<Void, Future<T>> action) throws Exception {
    CompletableFuture<Future<T>> started = new CompletableFuture<>();
    context.runOnContext(v -> started.complete(action.apply(null)));
    return await(started.get(30, TimeUnit.SECONDS));
  }

  private Buffer nextMessage() throws InterruptedException {
    Buffer message = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(message, "no message within 30 s");
    return message;
  }

  private static Buffer frame(long taskId, int payloadBytes) {
    return Frame.of(new Submit(taskId, TaskKind.CALLABLE, 0, 0), new byte[payloadBytes]).encode();
  }

  private static long taskId(Buffer frame) {
    return ((Submit) Frame.decode(frame).header()).taskId();
  }

  @Test
  void framesWrittenInOneTurnLeaveAsOneMessageInOrder() throws Exception {
    List<Future<Void>> futures = new ArrayList<>();
    onContext(v -> {
      for (long id = 1; id <= 5; id++) {
        futures.add(writer.write(frame(id, 10)));
      }
      return Future.join(futures);
    });
    List<Buffer> frames = FrameBatch.split(nextMessage());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), frames.stream().map(BatchWriterTest::taskId).toList());
    assertEquals(1, socketWrites.get(), "one write to the socket");
    futures.forEach(f -> assertTrue(f.succeeded()));
    assertSame(futures.get(0), futures.get(4), "one write, one future");
  }

  @Test
  void aLoneFrameLeavesAsItIsWithoutABatchAround() throws Exception {
    Buffer lone = frame(9, 3);
    onContext(v -> writer.write(lone));
    assertEquals(lone, nextMessage());
  }

  @Test
  void successiveTurnsLeaveAsSuccessiveMessages() throws Exception {
    onContext(v -> Future.join(writer.write(frame(1, 0)), writer.write(frame(2, 0))));
    onContext(v -> writer.write(frame(3, 0)));
    assertEquals(2, FrameBatch.split(nextMessage()).size());
    assertEquals(3L, taskId(nextMessage()));
  }

  @Test
  void aLargeFrameTravelsAloneAfterTheFramesWrittenBeforeIt() throws Exception {
    onContext(v -> Future.join(writer.write(frame(1, 0)), writer.write(frame(2, FrameBatch.MAX_ENTRY_BYTES)),
        writer.write(frame(3, 0)), writer.write(frame(4, 0))));
    assertEquals(1L, taskId(nextMessage()), "the pending frame, alone: no batch of one");
    Buffer large = nextMessage();
    assertEquals(1, FrameBatch.split(large).size());
    assertEquals(2L, taskId(large));
    assertEquals(List.of(3L, 4L), FrameBatch.split(nextMessage()).stream().map(BatchWriterTest::taskId).toList());
  }

  @Test
  void aBatchNeverGrowsPastItsLimit() throws Exception {
    int payload = FrameBatch.MAX_ENTRY_BYTES - 1000;
    onContext(v -> {
      List<Future<Void>> all = new ArrayList<>();
      for (long id = 1; id <= 6; id++) {
        all.add(writer.write(frame(id, payload)));
      }
      return Future.join(all);
    });
    List<Long> ids = new ArrayList<>();
    while (ids.size() < 6) {
      Buffer message = nextMessage();
      assertTrue(message.length() <= FrameBatch.MAX_BATCH_BYTES, message.length() + " bytes");
      FrameBatch.split(message).forEach(f -> ids.add(taskId(f)));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ids);
    assertEquals(2, socketWrites.get(), "four frames fill a batch, the other two make the second");
  }

  @Test
  void writesFromAnotherThreadHopOntoTheContextInOrder() throws Exception {
    List<Future<Void>> futures = new ArrayList<>();
    for (long id = 1; id <= 20; id++) {
      futures.add(writer.write(frame(id, 1))); // this test's thread is not the socket's
    }
    await(Future.join(futures));
    List<Long> ids = new ArrayList<>();
    while (ids.size() < 20) {
      FrameBatch.split(nextMessage()).forEach(f -> ids.add(taskId(f)));
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(i + 1L, ids.get(i));
    }
  }

  @Test
  void whenTheWriteFailsEveryFrameOfTheBatchFails() throws Exception {
    onContext(v -> ws.close());
    List<Future<Void>> futures = new ArrayList<>();
    ExecutionException e = assertThrows(ExecutionException.class, () -> onContext(v -> {
      futures.add(writer.write(frame(1, 0)));
      futures.add(writer.write(frame(2, 0)));
      return futures.get(1);
    }));
    assertNotNull(e.getCause());
    assertTrue(futures.get(0).failed(), "the first frame's future fails with the batch's write");
  }

  @Test
  void flushSendsThePendingFramesAtOnce() throws Exception {
    onContext(v -> {
      writer.write(frame(1, 0));
      writer.write(frame(2, 0));
      writer.flush();
      assertEquals(1, socketWrites.get(), "written before the end of the turn");
      writer.flush(); // nothing pending: nothing written
      return writer.write(frame(3, 0));
    });
    assertEquals(2, FrameBatch.split(nextMessage()).size());
    assertEquals(3L, taskId(nextMessage()));
    assertEquals(2, socketWrites.get());
  }
}
