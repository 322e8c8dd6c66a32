package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.antpool.client.impl.ClientConnection;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.task.TaskCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's sends are coalesced: tasks submitted together (their submits queued behind each other on the
 * connection's event loop) reach the server as one WebSocket message, in order; and the client reads the frames of
 * a batch the server sends one by one.
 */
class SubmitBatchingTest {
  private ScriptedServer server;
  private Vertx vertx;
  private Context context;
  private ClientConnection connection;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    CompletableFuture<Future<Void>> welcomed = new CompletableFuture<>();
    // made on this context, the connection lives on it: a test task there is one turn of its event loop
    context.runOnContext(v -> {
      connection = new ClientConnection(vertx, new AntPoolOptions().setUrl(server.url()));
      welcomed.complete(connection.connect());
    });
    welcomed.get(30, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertEquals(1, server.nextMessageFrames(), "the hello, alone");
  }

  @AfterEach
  void stop() throws Exception {
    connection.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void tasksSubmittedTogetherTravelAsOneMessageAndTheirResultsComeBack() throws Exception {
    List<Future<Object>> futures = new ArrayList<>();
    CompletableFuture<Void> submitted = new CompletableFuture<>();
    context.runOnContext(v -> {
      for (int i = 0; i < 4; i++) {
        futures.add(connection.submit(TaskKind.CALLABLE, new byte[] {(byte) i}, getClass().getClassLoader()));
      }
      submitted.complete(null);
    });
    submitted.get(30, TimeUnit.SECONDS);
    assertEquals(4, server.nextMessageFrames(), "four submits, one message");
    List<ScriptedServer.Submitted> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(server.nextSubmit());
    }
    assertEquals(List.of(1L, 2L, 3L, 4L), tasks.stream().map(t -> t.submit().taskId()).toList());
    List<Buffer> results = new ArrayList<>();
    for (ScriptedServer.Submitted t : tasks.subList(0, 3)) {
      results.add(Frame.of(Result.value(t.submit().taskId(), "scripted"),
          TaskCodec.encodeValue(t.submit().taskId() * 10)).encode());
    }
    tasks.get(0).ws().writeBinaryMessage(FrameBatch.encode(results)); // three results in one message
    tasks.get(3).value(40L);
    for (int i = 0; i < 4; i++) {
      assertEquals((i + 1) * 10L, futures.get(i).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
  }
}
