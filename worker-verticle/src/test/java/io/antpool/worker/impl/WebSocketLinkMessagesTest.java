package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.AuthenticationException;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.LocalPeer;
import io.antpool.task.TaskCodec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's WebSocket link joins the server's messages from their fragments, and answers a dispatch over its
 * limit with an error result naming the limit (so the task fails instead of running again), then reconnects:
 * checked against a stand-in server on loopback.
 */
class WebSocketLinkMessagesTest {
  private final Vertx vertx = Vertx.vertx();
  private final BlockingQueue<ServerWebSocket> welcomed = new LinkedBlockingQueue<>();
  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Short> closes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Frame> dispatched = new LinkedBlockingQueue<>();
  private HttpServer http;
  private WebSocketLink link;

  @BeforeEach
  void startServer() throws Exception {
    http = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of(Protocol.SUBPROTOCOL)))
        .webSocketHandler(ws -> {
          ws.closeHandler(v -> closes.add(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()));
          ws.binaryMessageHandler(wire -> {
            Frame frame = Frame.decode(wire);
            if (frame.header() instanceof Hello) {
              ws.writeBinaryMessage(Frame.of(new Welcome("w-session", Protocol.VERSION, "test")).encode());
              welcomed.add(ws);
            } else {
              received.add(frame);
            }
          });
        });
    http.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (link != null) {
      link.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private ServerWebSocket connect(int maxMessageBytes) throws Exception {
    Hello hello = new Hello(Role.WORKER, Protocol.VERSION, LocalPeer.describe("fragments#1", 1), null);
    WorkerLink.SlotHandler handler = new WorkerLink.SlotHandler() {
      @Override
      public void onDispatch(Frame dispatch) {
        dispatched.add(dispatch);
      }

      @Override
      public void onCancel(Cancel cancel) {
      }

      @Override
      public void onRecall(Recall recall) {
      }

      @Override
      public void onRefused(AuthenticationException refusal) {
      }
    };
    link = new WebSocketLink(vertx, URI.create("ws://127.0.0.1:" + http.actualPort()), ClientTls.DEFAULT, true,
        () -> hello, handler, session -> { }, 10_000, 1_000, 30_000, maxMessageBytes);
    link.start().await(30, TimeUnit.SECONDS);
    return next(welcomed);
  }

  /**
   * Sends task {@code taskId} with {@code payload} as its bytes: in fragments of 64 KiB, as a real server sends a
   * large message (the stand-in has Vert.x's default frame size, a real server 1 MiB).
   */
  private static void dispatch(ServerWebSocket ws, long taskId, byte[] payload) {
    ws.writeBinaryMessage(Frame.of(new Dispatch(taskId, "c-1", TaskKind.CALLABLE, 2, 1), payload).encode());
  }

  @Test
  void aDispatchSentInFragmentsArrivesWhole() throws Exception {
    ServerWebSocket ws = connect(1 << 20);
    byte[] task = randomBytes(300_000);
    dispatch(ws, 7, task);
    Frame frame = next(dispatched);
    assertEquals(7, ((Dispatch) frame.header()).taskId());
    assertArrayEquals(task, frame.payload().getBytes());
  }

  @Test
  void aDispatchOverTheLimitIsAnsweredWithAnErrorResultThenTheWorkerReconnects() throws Exception {
    ServerWebSocket ws = connect(200_000);
    dispatch(ws, 42, randomBytes(300_000));

    Frame answer = next(received);
    Message header = answer.header();
    Result result = assertInstanceOf(Result.class, header);
    assertEquals(42, result.taskId());
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(AntPoolException.class.getName(), result.errorClass());
    assertTrue(result.errorMessage().contains("a Dispatch of task 42 of at least"), result.errorMessage());
    assertTrue(result.errorMessage().contains("more than the 200000 bytes a worker accepts"), result.errorMessage());
    assertTrue(result.errorMessage().contains("submit tasks that capture less data"), result.errorMessage());
    AntPoolException error = assertInstanceOf(AntPoolException.class,
        TaskCodec.decode(answer.payload(), getClass().getClassLoader()));
    assertEquals(ErrorCode.TOO_LARGE, error.code());

    assertEquals(CloseCodes.TOO_BIG, next(closes), "the worker closes with 1009 (message too big)");
    ServerWebSocket again = next(welcomed);
    byte[] task = randomBytes(150_000);
    dispatch(again, 43, task);
    Frame frame = next(dispatched);
    assertEquals(43, ((Dispatch) frame.header()).taskId(), "the oversized task never reached the slot");
    assertArrayEquals(task, frame.payload().getBytes(), "the reconnected worker goes on");
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T item = queue.poll(30, TimeUnit.SECONDS);
    assertNotNull(item, "nothing within 30 s");
    return item;
  }

}
