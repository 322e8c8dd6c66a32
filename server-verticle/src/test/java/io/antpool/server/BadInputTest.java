package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.impl.FrameBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input against a real server port, with small limits (hello within 300 ms, messages up to 64 KiB): each
 * case gets a typed error, or a close with its code and a reason, and touches no other session. (A peer that
 * never reads needs a socket that truly stops reading: {@code BadInputIT} in {@code dist}.)
 */
class BadInputTest {
  private static final int MAX_FRAME = 64 * 1024;
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    // the client may send messages far larger than the server accepts, in frames up to 1 MiB
    server = TestServer.start(new JsonObject().put("helloTimeoutMillis", 300).put("maxFrameBytes", MAX_FRAME),
        new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(16 << 20));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static RawPeer connect() throws Exception {
    return server.connect();
  }

  private static JsonObject getJson(String path) throws Exception {
    return server.getJson(path);
  }

  @Test
  void aPeerThatSaysNothingIsClosedAfterTheHelloTimeoutWithAReason() throws Exception {
    RawPeer silent = connect();

    ErrorReply e = silent.nextError();
    assertEquals(ErrorCode.BAD_HELLO, e.code());
    assertTrue(e.message().contains("no hello within 300 ms"), e.message());
    assertEquals(CloseCodes.NO_HELLO, silent.closed.get(10, TimeUnit.SECONDS));
    assertTrue(silent.ws.closeReason().contains("no hello"), silent.ws.closeReason());
  }

  @Test
  void aMessageOverTheLimitIsNotBufferedButClosedWith1009() throws Exception {
    RawPeer bystander = connect();
    bystander.helloAsClient();
    RawPeer big = connect();
    big.helloAsClient();

    big.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[40 * 1024]), false));
    big.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[40 * 1024]), true));

    ErrorReply e = big.nextError();
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.message().contains("at least 81920 bytes exceeds this server's limit of 65536"), e.message());
    assertEquals(CloseCodes.TOO_BIG, big.closed.get(10, TimeUnit.SECONDS));
    assertTrue(big.ws.closeReason().contains("maxFrameBytes"), big.ws.closeReason());
    assertFalse(bystander.closed.isDone(), "another session is untouched");
  }

  @Test
  void aSingleWebSocketFrameOverTheLimitIsClosedWith1009() throws Exception {
    RawPeer big = connect();
    big.helloAsClient();

    big.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[MAX_FRAME + 1]), true));

    // Netty's frame decoder refuses it from its length field, sends 1009 and closes at once; the rest of the
    // frame still in flight may make the peer's TCP see a reset before the close frame (1006)
    short code = big.closed.get(10, TimeUnit.SECONDS);
    assertTrue(code == CloseCodes.TOO_BIG || code == 1006, "closed with " + code);
  }

  @Test
  void aBatchIsHandledFrameByFrameInOrderAndAMalformedOneIsRefusedWhole() throws Exception {
    RawPeer client = connect();
    String session = client.helloAsClient();

    // each frame of a batch gets the answer it would get alone, in order
    client.ws.writeBinaryMessage(FrameBatch.encode(List.of(
        Frame.of(new Result(1, Result.Status.VALUE, null, null, "me")).encode(),
        Frame.of(new Submit(3, null, 0)).encode())));
    assertEquals(ErrorCode.WRONG_ROLE, client.nextError().code(), "the batch's first frame");
    assertEquals(ErrorCode.BAD_FRAME, client.nextError().code(), "its second");

    Buffer cut = FrameBatch.encode(List.of(Frame.of(new Submit(4, TaskKind.CALLABLE, 0)).encode(),
        Frame.of(new Submit(5, TaskKind.CALLABLE, 0)).encode()));
    client.ws.writeBinaryMessage(cut.getBuffer(0, cut.length() - 1));
    ErrorReply e = client.nextError();
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.message().contains("bad AntPool batch: frame 2 of 2"), e.message());
    client.ws.writeBinaryMessage(Buffer.buffer().appendInt(-7).appendInt(1));
    assertTrue(client.nextError().message().contains("unknown batch layout -7"));
    client.submit(6); // the session goes on
    client.submit(6);
    assertEquals(6L, client.nextError().taskId(), "the duplicate: task 6 was taken");
    JsonObject status = getJson("/antadmin/api/status");
    JsonObject mine = status.getJsonArray("clients").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(session)).findFirst().orElseThrow();
    assertEquals(1, mine.getInteger("queued"), "task 6 alone: the cut batch's task 4 was not taken");
  }

  @Test
  void afterTheHelloBadFramesGetTypedErrorsAndTheSessionGoesOn() throws Exception {
    RawPeer client = connect();
    client.helloAsClient();

    client.ws.writeBinaryMessage(Buffer.buffer(new byte[] {0, 0, 0, 9, '{'}));
    assertEquals(ErrorCode.BAD_FRAME, client.nextError().code());
    client.ws.writeTextMessage("{\"c\":\"LOGIN\",\"r\":\"1\",\"s\":1,\"v\":{}}");
    ErrorReply text = client.nextError();
    assertEquals(ErrorCode.BAD_FRAME, text.code());
    assertTrue(text.message().contains("text frames"), text.message());
    byte[] unknown = "{\"type\":\"teleport\"}".getBytes(StandardCharsets.UTF_8);
    client.ws.writeBinaryMessage(Buffer.buffer().appendInt(unknown.length).appendBytes(unknown));
    assertTrue(client.nextError().message().contains("teleport"));
    client.send(Frame.of(new Hello(Role.CLIENT, Protocol.VERSION, RawPeer.PEER, RawPeer.localToken())));
    assertEquals(ErrorCode.BAD_HELLO, client.nextError().code(), "a second hello");
    client.send(Frame.of(new Result(1, Result.Status.VALUE, null, null, "me")));
    assertEquals(ErrorCode.WRONG_ROLE, client.nextError().code(), "a result from a client");
    client.send(Frame.of(new Submit(3, null, 0)));
    ErrorReply noKind = client.nextError();
    assertEquals(ErrorCode.BAD_FRAME, noKind.code());
    assertEquals(3L, noKind.taskId());
    client.send(Frame.of(new ErrorReply(ErrorCode.INTERNAL, "a peer reporting trouble", null)));
    client.send(Frame.of(new Submit(4, TaskKind.CALLABLE, 9)));
    assertEquals(4L, client.nextError().taskId(), "an error from the peer is not answered");

    assertFalse(client.closed.isDone(), "the session survives its bad frames");
    assertTrue(getJson("/antadmin/api/status").getJsonObject("badInput").getLong("errors") >= 7);
    client.ws.close();
  }

  @Test
  void aWorkerResultForATaskItDoesNotHoldIsAnUnknownTask() throws Exception {
    RawPeer worker = connect();
    worker.hello(Role.WORKER);

    worker.send(Frame.of(new Result(424242, Result.Status.VALUE, null, null, "me")));
    ErrorReply e = worker.nextError();
    assertEquals(ErrorCode.UNKNOWN_TASK, e.code());
    assertEquals(424242L, e.taskId());
    worker.send(Frame.of(new Result(5, null, null, null, "me")));
    assertEquals(ErrorCode.BAD_FRAME, worker.nextError().code(), "a result without status");
    worker.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0)));
    assertEquals(ErrorCode.WRONG_ROLE, worker.nextError().code(), "a submit from a worker");
    assertFalse(worker.closed.isDone());
    worker.ws.close();
  }

  @Test
  void aWorkersProgressOutOfRangeOrForATaskItDoesNotHoldGetsATypedErrorAndNothingReachesTheClient()
      throws Exception {
    RawPeer worker = connect();
    worker.hello(Role.WORKER);
    RawPeer client = connect();
    client.helloAsClient();
    client.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0), new byte[] {1}));
    long running = worker.next(Dispatch.class).taskId();

    worker.send(Frame.of(new Progress(running, 11, 10, null)));
    ErrorReply tooMuch = worker.nextError();
    assertEquals(ErrorCode.BAD_FRAME, tooMuch.code());
    assertEquals(running, tooMuch.taskId());
    assertTrue(tooMuch.message().contains("progress done (11) is more than its total (10)"), tooMuch.message());
    worker.send(Frame.of(new Progress(running, -1, 0, null)));
    assertEquals(ErrorCode.BAD_FRAME, worker.nextError().code(), "done below 0");
    worker.send(Frame.of(new Progress(running, 0, -3, null)));
    assertEquals(ErrorCode.BAD_FRAME, worker.nextError().code(), "total below 0");
    worker.send(Frame.of(new Progress(424242, 1, 2, null)));
    ErrorReply unknown = worker.nextError();
    assertEquals(ErrorCode.UNKNOWN_TASK, unknown.code());
    assertEquals(424242L, unknown.taskId());
    worker.send(Frame.of(Result.value(running, "me")));
    worker.send(Frame.of(new Progress(running, 1, 2, "after the result")));
    assertEquals(ErrorCode.UNKNOWN_TASK, worker.nextError().code(), "no progress after the result");

    assertEquals(1L, client.next(Result.class).taskId(), "the client got no progress, only its result");
    assertFalse(worker.closed.isDone());
    worker.ws.close();
    client.ws.close();
  }

  @Test
  void aSubmitBeforeHelloIsRefusedAndClosed() throws Exception {
    RawPeer peer = connect();
    peer.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0)));

    assertEquals(ErrorCode.BAD_HELLO, peer.nextError().code());
    assertEquals(CloseCodes.PROTOCOL_ERROR, peer.closed.get(10, TimeUnit.SECONDS));
    assertTrue(peer.ws.closeReason().startsWith("BAD_HELLO"), peer.ws.closeReason());
  }
}
