package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.AuthenticationException;
import io.antpool.client.AntPoolOptions;
import io.antpool.client.impl.ClientConnection;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.impl.LocalPeer;
import io.antpool.server.ServerVerticle;
import io.antpool.task.TaskCodec;
import io.antpool.worker.impl.WebSocketLink;
import io.antpool.worker.impl.WorkerLink;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message over a task client's or a worker's limit, through a real server: the worker's error result completes
 * the task (it is not run again), the client's refused result fails its task, and both go on after reconnecting.
 * The limits are lowered to 200,000 bytes so that a 300,000-byte task or result passes them (the real ones are
 * 256 MiB, the ceiling of the server's {@code maxFrameBytes}); that takes the client's and the worker's link in
 * this JVM, beside the server, rather than the processes the other ITs start.
 */
class OversizedMessagesIT {
  private static final int LIMIT = 200_000;
  private static final byte[] LARGE = randomBytes(300_000);

  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger dispatches = new AtomicInteger();
  private String url;
  private WebSocketLink worker;
  private ClientConnection client;

  @BeforeEach
  void startServer() throws Exception {
    ServerVerticle server = new ServerVerticle();
    vertx.deployVerticle(server, new DeploymentOptions().setConfig(new JsonObject().put("host", "127.0.0.1")
        .put("port", 0).put("auth", "none"))).await(30, TimeUnit.SECONDS);
    url = "ws://127.0.0.1:" + server.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close().await(30, TimeUnit.SECONDS);
    }
    if (worker != null) {
      worker.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** A worker slot whose tasks return their own bytes, or {@link #LARGE} for a task of one byte. */
  private void startWorker(int maxMessageBytes) throws Exception {
    Hello hello = new Hello(Role.WORKER, Protocol.VERSION, LocalPeer.describe("oversized#1", 1), null);
    WebSocketLink[] link = new WebSocketLink[1];
    WorkerLink.SlotHandler handler = new WorkerLink.SlotHandler() {
      @Override
      public void onDispatch(Frame dispatch) {
        dispatches.incrementAndGet();
        byte[] task = dispatch.payload().getBytes();
        link[0].sendResult(Frame.of(Result.value(((Dispatch) dispatch.header()).taskId(), "oversized#1"),
            TaskCodec.encodeValue(task.length == 1 ? LARGE : task)), link[0].epoch());
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
    link[0] = new WebSocketLink(vertx, URI.create(url), ClientTls.DEFAULT, false, () -> hello, handler,
        session -> { }, 10_000, 1_000, 30_000, maxMessageBytes);
    worker = link[0];
    worker.start().await(30, TimeUnit.SECONDS);
  }

  private void startClient(int maxMessageBytes) throws Exception {
    client = new ClientConnection(vertx, new AntPoolOptions().setUrl(url).setName("oversized"), maxMessageBytes);
    client.connect().await(30, TimeUnit.SECONDS);
  }

  private Future<Object> submit(byte[] task) {
    return client.submit(TaskKind.CALLABLE, task, getClass().getClassLoader());
  }

  @Test
  void aTaskOverTheWorkersLimitFailsWithTheWorkersErrorAndIsNotRunAgain() throws Exception {
    startWorker(LIMIT);
    startClient(Protocol.MAX_FRAME_BYTES);
    AntPoolException error = assertThrows(AntPoolException.class,
        () -> submit(LARGE).await(60, TimeUnit.SECONDS));
    assertEquals(ErrorCode.TOO_LARGE, error.code());
    assertTrue(error.getMessage().contains("more than the " + LIMIT + " bytes a worker accepts"), error.getMessage());
    assertEquals(0, dispatches.get(), "the oversized task never reached the slot");

    byte[] small = randomBytes(1000);
    assertArrayEquals(small, (byte[]) submit(small).await(60, TimeUnit.SECONDS), "the worker, reconnected, goes on");
    assertEquals(1, dispatches.get(), "only the small task ran: the server did not send the large one again");
  }

  @Test
  void aResultOverTheClientsLimitFailsItsTaskAndTheResumedClientGoesOn() throws Exception {
    startWorker(Protocol.MAX_FRAME_BYTES);
    startClient(LIMIT);
    AntPoolException error = assertThrows(AntPoolException.class,
        () -> submit(new byte[] {1}).await(60, TimeUnit.SECONDS));
    assertEquals(ErrorCode.TOO_LARGE, error.code());
    assertTrue(error.getMessage().contains("more than the " + LIMIT + " bytes a client accepts"), error.getMessage());

    byte[] small = randomBytes(1000);
    assertArrayEquals(small, (byte[]) submit(small).await(60, TimeUnit.SECONDS), "the client, resumed, goes on");
    assertEquals(2, dispatches.get(), "the large task ran once, not again after the client resumed");
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
