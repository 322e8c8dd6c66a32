package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.client.impl.ClientConnection;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Hello;
import io.antpool.protocol.TaskKind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A task client joins the server's messages from their WebSocket fragments, and a message over its limit fails
 * the task whose result it was, with an error naming the limit, and makes the client reconnect and resume, still
 * usable: checked against a {@link ScriptedServer}, which sends results in fragments of 64 KiB.
 */
class ServerMessagesTest {
  private final Vertx vertx = Vertx.vertx();
  private ScriptedServer server;
  private ClientConnection client;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    server.close();
  }

  private void connect(int maxMessageBytes) throws Exception {
    client = new ClientConnection(vertx, new AntPoolOptions().setUrl(server.url()).setName("fragments"),
        maxMessageBytes);
    client.connect().await(30, TimeUnit.SECONDS);
    server.nextHello();
  }

  private Future<Object> submit() {
    return client.submit(TaskKind.CALLABLE, new byte[] {1, 2, 3}, getClass().getClassLoader());
  }

  @Test
  void aResultSentInFragmentsArrivesWhole() throws Exception {
    connect(1 << 20);
    byte[] value = randomBytes(300_000);
    Future<Object> result = submit();
    server.nextSubmit().value(value);
    assertArrayEquals(value, (byte[]) result.await(30, TimeUnit.SECONDS));
  }

  @Test
  void aResultOverTheLimitFailsItsTaskNamingTheLimitAndTheClientReconnectsAndGoesOn() throws Exception {
    connect(200_000);
    Future<Object> tooBig = submit();
    ScriptedServer.Submitted first = server.nextSubmit();
    first.value(randomBytes(300_000));

    AntPoolException error = assertThrows(AntPoolException.class, () -> tooBig.await(30, TimeUnit.SECONDS));
    assertEquals(ErrorCode.TOO_LARGE, error.code());
    assertTrue(error.getMessage().contains("a Result of task " + first.submit().taskId() + " of at least"),
        error.getMessage());
    assertTrue(error.getMessage().contains("more than the 200000 bytes a client accepts"), error.getMessage());
    assertTrue(error.getMessage().contains("lower maxFrameBytes in the server's configuration"),
        error.getMessage());

    assertEquals(CloseCodes.TOO_BIG, server.nextClose(), "the client closes with 1009 (message too big)");
    Hello again = server.nextHello();
    assertNotNull(again.resume(), "the client resumes its session");
    assertEquals(ScriptedServer.SESSION, again.resume().sessionId());
    assertEquals(List.of(), again.resume().awaiting(), "the failed task is no longer awaited");

    byte[] small = randomBytes(150_000);
    Future<Object> next = submit();
    server.nextSubmit().value(small);
    assertArrayEquals(small, (byte[]) next.await(30, TimeUnit.SECONDS), "the reconnected client goes on");
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }
}
