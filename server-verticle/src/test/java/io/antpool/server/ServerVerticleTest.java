package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's external contract over a real port: HTTP endpoints, the {@code antpool.v2} handshake, and the
 * typed error replies a misbehaving peer gets (each concerning only its own session).
 */
class ServerVerticleTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static JsonObject getJson(String path) throws Exception {
    return server.getJson(path);
  }

  @Test
  void healthSaysUp() throws Exception {
    JsonObject health = getJson("/health");
    assertEquals("UP", health.getString("status"));
    JsonObject heap = health.getJsonObject("heap");
    assertTrue(heap.getLong("usedBytes") > 0 && heap.getLong("usedBytes") <= heap.getLong("maxBytes"),
        heap.encode());
    assertTrue(heap.getLong("afterGcBytes") <= heap.getLong("maxBytes"), heap.encode());
  }

  @Test
  void aConnectionWithoutTheSubprotocolSpeaksTheOriginalPythonProtocol() throws Exception {
    RawPeer legacy = server.connect(false);
    assertNull(legacy.ws.subProtocol());
    java.util.concurrent.CompletableFuture<String> reply = new java.util.concurrent.CompletableFuture<>();
    legacy.ws.textMessageHandler(reply::complete);
    legacy.ws.writeTextMessage("{\"c\":\"JOB\",\"r\":\"1\",\"s\":1,\"v\":{\"type\":0,\"code\":\"x=1\"}}");
    JsonObject refused = new JsonObject(reply.get(30, TimeUnit.SECONDS));
    assertEquals("JOB", refused.getString("C"));
    assertEquals(30, refused.getJsonObject("v").getInteger("ret"), refused.encode());
    assertTrue(refused.getJsonObject("v").getString("retval").contains("LOGIN"), refused.encode());
  }

  @Test
  void garbageIsABadFrameAndClosesOnlyThatConnection() throws Exception {
    RawPeer good = server.connect();
    good.helloAsClient();
    RawPeer bad = server.connect();
    bad.ws.writeBinaryMessage(Buffer.buffer(new byte[] {0, 0, 0}));
    ErrorReply e = bad.nextError();
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.message().contains("shorter than its 4-byte header length"), e.message());
    bad.closed.get(30, TimeUnit.SECONDS);
    assertTrue(!good.closed.isDone(), "another client's session is untouched");
  }

  @Test
  void aFirstFrameThatIsNotAHelloIsRefused() throws Exception {
    RawPeer peer = server.connect();
    peer.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0)));
    ErrorReply e = peer.nextError();
    assertEquals(ErrorCode.BAD_HELLO, e.code());
    assertTrue(e.message().contains("first frame must be a hello"), e.message());
    peer.closed.get(30, TimeUnit.SECONDS);
  }

  @Test
  void anotherProtocolVersionIsRefusedSayingBoth() throws Exception {
    RawPeer peer = server.connect();
    peer.send(Frame.of(new Hello(Role.CLIENT, 1, RawPeer.PEER, null)));
    ErrorReply e = peer.nextError();
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.code());
    assertTrue(e.message().contains("protocol 2") && e.message().contains("speaks 1"), e.message());
  }

  @Test
  void badTasksGetErrorsForThatTaskOnlyAndTheSessionGoesOn() throws Exception {
    RawPeer client = server.connect();
    String session = client.helloAsClient();
    assertTrue(session.startsWith("c-"), session);

    client.send(Frame.of(new Submit(7, TaskKind.CALLABLE, 5), new byte[] {1, 2, 3}));
    ErrorReply badRtype = client.nextError();
    assertEquals(ErrorCode.BAD_FRAME, badRtype.code());
    assertEquals(7L, badRtype.taskId());
    assertTrue(badRtype.message().contains("rtype 5"), badRtype.message());

    client.send(Frame.of(new Submit(8, TaskKind.CALLABLE, 0), new byte[] {1, 2, 3}));
    client.send(Frame.of(new Submit(8, TaskKind.CALLABLE, 0), new byte[] {1, 2, 3}));
    ErrorReply duplicate = client.nextError();
    assertEquals(ErrorCode.DUPLICATE_TASK, duplicate.code());
    assertEquals(8L, duplicate.taskId());

    client.send(Frame.of(new Result(8, Result.Status.VALUE, null, null, "me")));
    assertEquals(ErrorCode.WRONG_ROLE, client.nextError().code());

    JsonObject status = getJson("/antadmin/api/status");
    JsonObject mine = status.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(session)).findFirst().orElseThrow();
    assertEquals(1, mine.getInteger("queued"), "task 8 waits for a worker: " + status.encodePrettily());
    assertEquals(1, mine.getInteger("submitted"));
    assertEquals("127.0.0.1", mine.getString("ip"));
    assertTrue(status.getInteger("queueDepth") >= 1);
    assertTrue(!client.closed.isDone(), "the session survives its bad tasks");
    client.ws.close();
  }
}
