package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.antpool.AuthenticationException;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.FrameBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's WebSocket link coalesces what one turn of its event loop sends (results of prefetched tasks that
 * end back to back) into one message, and hands the frames of a batch from the server to its slot one by one, in
 * order.
 */
class WebSocketLinkBatchingTest {
  private static final PeerInfo PEER = new PeerInfo("batching", "localhost", "127.0.0.1", "os", 1, 1, 1, 1, 1, "v");

  private Vertx vertx;
  private Context context;
  private WebSocketLink link;
  /** The frames of each message the server received, in order. */
  private final BlockingQueue<List<Frame>> received = new LinkedBlockingQueue<>();
  /** What the slot was handed: dispatches and cancels, in order. */
  private final BlockingQueue<Object> slot = new LinkedBlockingQueue<>();
  private final CompletableFuture<ServerWebSocket> serverSide = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
            .setWebSocketSubProtocols(List.of(Protocol.SUBPROTOCOL)))
        .webSocketHandler(ws -> {
          ws.binaryMessageHandler(message -> received.add(FrameBatch.split(message).stream().map(Frame::decode)
              .toList()));
          serverSide.complete(ws);
        });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    WorkerLink.SlotHandler handler = new WorkerLink.SlotHandler() {
      @Override
      public void onDispatch(Frame dispatch) {
        slot.add(dispatch.header());
      }

      @Override
      public void onCancel(Cancel cancel) {
        slot.add(cancel);
      }

      @Override
      public void onRecall(Recall recall) {
        slot.add(recall);
      }

      @Override
      public void onRefused(AuthenticationException refusal) {
        slot.add(refusal);
      }
    };
    link = new WebSocketLink(vertx, URI.create("ws://127.0.0.1:" + server.actualPort()), ClientTls.DEFAULT, true,
        () -> new Hello(Role.WORKER, Protocol.VERSION, PEER, null), handler, s -> { }, 10_000, 1_000, 30_000);
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> link.start()); // as a worker verticle starts it: on the context its socket lives on
    List<Frame> hello = next();
    assertInstanceOf(Hello.class, hello.get(0).header());
    serverSide.get(30, TimeUnit.SECONDS).writeBinaryMessage(Frame.of(new Welcome("w-1", Protocol.VERSION, "v"))
        .encode());
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private List<Frame> next() throws InterruptedException {
    List<Frame> message = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(message, "no message within 30 s");
    return message;
  }

  @Test
  void resultsSentInOneTurnReachTheServerAsOneMessageInOrder() throws Exception {
    context.runOnContext(v -> {
      for (long id = 1; id <= 3; id++) {
        link.sendResult(Frame.of(Result.value(id, "batching")), link.epoch());
      }
    });
    List<Frame> message = next();
    assertEquals(List.of(1L, 2L, 3L), message.stream().map(f -> ((Result) f.header()).taskId()).toList());
  }

  @Test
  void theFramesOfABatchFromTheServerReachTheSlotInOrder() throws Exception {
    Dispatch first = new Dispatch(1, "c-1", TaskKind.CALLABLE, 0, 1, 0);
    Cancel cancel = new Cancel(1, true);
    Dispatch second = new Dispatch(2, "c-1", TaskKind.CALLABLE, 0, 1, 0);
    serverSide.get(30, TimeUnit.SECONDS).writeBinaryMessage(FrameBatch.encode(List.of(
        Frame.of(first).encode(), Frame.of(cancel).encode(), Frame.of(second).encode())));
    for (Object expected : List.of(first, cancel, second)) {
      assertEquals(expected, slot.poll(30, TimeUnit.SECONDS));
    }
  }
}
