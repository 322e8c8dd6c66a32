package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.antpool.AntPoolException;
import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Drain;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.auth.TokenSource;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.FrameBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input against a real server JVM (hello within 1 s, messages up to 1 MiB, a full write
 * queue tolerated for 1.5 s) gets a typed error or a close with a reason, logged once; a real client and worker
 * keep getting correct results throughout (checked after every case).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputIT {
  private static final PeerInfo PEER = new PeerInfo("bad-input", "localhost", "127.0.0.1", "test", 1, 1, 1, 0, 1,
      "test");
  private static final AtomicInteger N = new AtomicInteger();

  @TempDir
  static Path dir;
  private static ChildJvm server;
  private static ChildJvm worker;
  private static AntPoolExecutor pool;
  private static int port;

  @BeforeAll
  static void startPool() throws Exception {
    Path conf = dir.resolve("server.json");
    // helloTimeoutMillis: short, for the test of it, but long enough that a loaded machine never delays a test's
    // own hello past it (1 s did, now and then, on two cores with other builds running)
    Files.writeString(conf, "{\"helloTimeoutMillis\": 4000, \"writeStallTimeoutMillis\": 1500,"
        + " \"peerTimeoutMillis\": 4000, \"maxFrameBytes\": 1048576}");
    server = Pool.server(conf);
    port = Pool.port(server);
    worker = Pool.worker(server, 1);
    pool = new AntPoolExecutor(Pool.url(server));
  }

  @AfterAll
  static void stopPool() {
    pool.close();
    worker.close();
    server.close();
  }

  /** The real client and worker are served correctly after each case. */
  @AfterEach
  void legitimateWorkGoesOn() throws Exception {
    assertRealWorkIsServed();
  }

  private static void assertRealWorkIsServed() throws Exception {
    int x = N.incrementAndGet();
    SerializableCallable<Integer> task = () -> x * x + 1;
    assertEquals(x * x + 1, pool.submit(task).get(60, TimeUnit.SECONDS));
    assertEquals(200, Pool.get(server, "/health").statusCode());
  }

  /**
   * A task over the server's {@code maxFrameBytes} (its welcome says the limit) fails at once with
   * {@code TOO_LARGE}, instead of closing the client's connection after every reconnect.
   */
  @Test
  void aTaskLargerThanTheServerAcceptsFailsWithTooLarge() throws Exception {
    byte[] data = new byte[2 << 20];
    SerializableCallable<Integer> big = () -> data.length;
    ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(big).get(60, TimeUnit.SECONDS));
    AntPoolException cause = assertInstanceOf(AntPoolException.class, e.getCause());
    assertEquals(ErrorCode.TOO_LARGE, cause.code());
    assertTrue(cause.getMessage().contains("more than the server's limit of 1048576 bytes"), cause.getMessage());
  }

  /** A result over the limit fails its task with {@code TOO_LARGE}; the worker stays connected. */
  @Test
  void aResultLargerThanTheServerAcceptsFailsWithTooLarge() throws Exception {
    SerializableCallable<byte[]> big = () -> new byte[2 << 20];
    ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(big).get(60, TimeUnit.SECONDS));
    AntPoolException cause = assertInstanceOf(AntPoolException.class, e.getCause());
    assertEquals(ErrorCode.TOO_LARGE, cause.code());
    assertTrue(cause.getMessage().contains("the task's result is"), cause.getMessage());
    assertEquals(0L, Pool.status(server).getJsonObject("tasks").getLong("rerun"), "not lost, not rerun");
  }

  private static RawWebSocket v2() throws IOException {
    RawWebSocket ws = RawWebSocket.open(port, Protocol.SUBPROTOCOL, 0);
    assertEquals(Protocol.SUBPROTOCOL, ws.subprotocol());
    return ws;
  }

  private static void send(RawWebSocket ws, Message m) throws IOException {
    ws.sendBinary(Frame.of(m).encode().getBytes());
  }

  private static String hello(RawWebSocket ws, Role role) throws IOException {
    send(ws, new Hello(role, Protocol.VERSION, PEER, TokenSource.resolve(null)));
    return assertInstanceOf(Welcome.class, nextMessage(ws)).sessionId();
  }

  /**
   * The next frame from the server: the server coalesces the frames it sends in one turn into one message (a
   * batch), so the frames of a message are read one by one.
   */
  private static Message nextMessage(RawWebSocket ws) throws IOException {
    Deque<Buffer> frames = UNREAD.computeIfAbsent(ws, w -> new ArrayDeque<>());
    if (frames.isEmpty()) {
      RawWebSocket.WsFrame f = ws.read();
      assertNotNull(f, "the server closed the connection without a message");
      if (f.opcode() == RawWebSocket.CLOSE) {
        fail("the server closed the connection (" + f.closeCode() + " " + f.text() + ") instead of answering");
      }
      assertEquals(RawWebSocket.BINARY, f.opcode());
      frames.addAll(FrameBatch.split(Buffer.buffer(f.payload())));
    }
    return Frame.decode(frames.pollFirst()).header();
  }

  /** Frames of a batch from the server not read yet, by socket. */
  private static final Map<RawWebSocket, Deque<Buffer>> UNREAD = new ConcurrentHashMap<>();

  private static ErrorReply nextError(RawWebSocket ws, ErrorCode expected) throws IOException {
    ErrorReply e = assertInstanceOf(ErrorReply.class, nextMessage(ws));
    assertEquals(expected, e.code(), e.message());
    return e;
  }

  private static void assertClosedWith(RawWebSocket ws, int code) throws IOException {
    Deque<Buffer> unread = UNREAD.remove(ws);
    assertTrue(unread == null || unread.isEmpty(), "frames before the close: " + unread);
    RawWebSocket.WsFrame f = ws.read();
    assertNotNull(f, "the connection ended without a close frame");
    assertEquals(RawWebSocket.CLOSE, f.opcode());
    assertEquals(code, f.closeCode(), f.text());
    assertTrue(!f.text().isBlank(), "a close with a reason");
  }

  @Test
  void aMessageOverMaxFrameBytesIsNotBufferedButClosedWith1009() throws Exception {
    try (RawWebSocket ws = v2()) {
      hello(ws, Role.CLIENT);
      byte[] quarter = new byte[256 * 1024];
      ws.sendFrame(RawWebSocket.BINARY, false, quarter);
      for (int i = 0; i < 7; i++) {
        ws.sendFrame(0, i == 6, quarter); // 2 MiB in all, twice the limit
      }

      ErrorReply e = nextError(ws, ErrorCode.BAD_FRAME);
      assertTrue(e.message().contains("exceeds this server's limit of 1048576 bytes"), e.message());
      assertClosedWith(ws, CloseCodes.TOO_BIG);
    }
  }

  @Test
  void truncatedMalformedUnknownAndTextFramesAfterHelloGetBadFrameLoggedOnce() throws Exception {
    try (RawWebSocket ws = v2()) {
      String session = hello(ws, Role.CLIENT);
      byte[] valid = Frame.of(new Submit(1, TaskKind.CALLABLE, 0), new byte[] {1, 2}).encode().getBytes();
      int headerEnd = 4 + ((valid[0] & 0xff) << 24 | (valid[1] & 0xff) << 16 | (valid[2] & 0xff) << 8
          | (valid[3] & 0xff));
      for (int n = 0; n < headerEnd; n++) {
        ws.sendBinary(java.util.Arrays.copyOf(valid, n));
        nextError(ws, ErrorCode.BAD_FRAME);
      }
      byte[] teleport = "{\"type\":\"teleport\"}".getBytes(StandardCharsets.UTF_8);
      ws.sendBinary(io.vertx.core.buffer.Buffer.buffer().appendInt(teleport.length).appendBytes(teleport).getBytes());
      assertTrue(nextError(ws, ErrorCode.BAD_FRAME).message().contains("teleport"));
      ws.sendText("{\"c\":\"JOB\",\"r\":\"1\",\"s\":1,\"v\":{}}".getBytes(StandardCharsets.UTF_8));
      assertTrue(nextError(ws, ErrorCode.BAD_FRAME).message().contains("text frames"));

      send(ws, new Submit(2, TaskKind.CALLABLE, 9));
      assertEquals(2L, nextError(ws, ErrorCode.BAD_FRAME).taskId(), "the session is still open");
      assertEquals(1, server.countLines(Pattern.compile(Pattern.quote(session) + " at .*: BAD_FRAME")),
          "BAD_FRAME is logged once for the connection, whatever the number of bad frames");
    }
  }

  @Test
  void garbageBeforeHelloIsABadFrameAndAClose() throws Exception {
    try (RawWebSocket ws = v2()) {
      ws.sendBinary(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
      nextError(ws, ErrorCode.BAD_FRAME);
      assertClosedWith(ws, CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void aSubmitBeforeHelloIsBadHelloAndAClose() throws Exception {
    try (RawWebSocket ws = v2()) {
      send(ws, new Submit(1, TaskKind.CALLABLE, 0));
      assertTrue(nextError(ws, ErrorCode.BAD_HELLO).message().contains("first frame must be a hello"));
      assertClosedWith(ws, CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void aWrongProtocolVersionIsUnsupportedVersionAndAClose() throws Exception {
    try (RawWebSocket ws = v2()) {
      send(ws, new Hello(Role.WORKER, 1, PEER, null));
      assertTrue(nextError(ws, ErrorCode.UNSUPPORTED_VERSION).message().contains("the peer speaks 1"));
      assertClosedWith(ws, CloseCodes.PROTOCOL_ERROR);
    }
  }

  @Test
  void outOfOrderMessagesGetTypedErrorsAndTheConnectionStays() throws Exception {
    try (RawWebSocket rawWorker = v2(); RawWebSocket rawClient = v2()) {
      hello(rawWorker, Role.WORKER);
      send(rawWorker, new Drain()); // so the real client's tasks never come to this slot
      send(rawWorker, new Result(987_654, Result.Status.VALUE, null, null, "nobody"));
      assertEquals(987_654L, nextError(rawWorker, ErrorCode.UNKNOWN_TASK).taskId());
      send(rawWorker, new Submit(1, TaskKind.CALLABLE, 0));
      nextError(rawWorker, ErrorCode.WRONG_ROLE);

      hello(rawClient, Role.CLIENT);
      send(rawClient, new Result(1, Result.Status.VALUE, null, null, "me"));
      nextError(rawClient, ErrorCode.WRONG_ROLE);
      send(rawClient, new Hello(Role.CLIENT, Protocol.VERSION, PEER, null));
      nextError(rawClient, ErrorCode.BAD_HELLO);
      send(rawClient, new Submit(5, TaskKind.CALLABLE, 0, 0, -1));
      assertEquals(5L, nextError(rawClient, ErrorCode.BAD_FRAME).taskId(), "both connections are still open");
    }
  }

  @Test
  void aPeerThatSendsNothingIsClosedAfterTheHelloTimeout() throws Exception {
    long start = System.nanoTime();
    try (RawWebSocket ws = v2()) {
      assertTrue(nextError(ws, ErrorCode.BAD_HELLO).message().contains("no hello within 4000 ms"));
      assertClosedWith(ws, CloseCodes.NO_HELLO);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(millis >= 900 && millis < 10_000, "closed after " + millis + " ms");
  }

  /** A connection without the subprotocol speaks the original Python protocol: bad input there gets v1 replies. */
  @Test
  void aConnectionWithoutTheSubprotocolGetsV1RefusalsAndStaysOpen() throws Exception {
    try (RawWebSocket ws = RawWebSocket.open(port, null, 0)) {
      ws.sendText("not json".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.WsFrame f = ws.read();
      assertNotNull(f);
      assertEquals(RawWebSocket.TEXT, f.opcode());
      JsonObject refused = new JsonObject(f.text());
      assertEquals(20, refused.getJsonObject("v").getInteger("ret"), refused.encode());
      assertTrue(refused.getJsonObject("v").getString("retval").contains("one JSON object"), refused.encode());
      ws.sendText("{\"c\":\"LOGIN\",\"r\":\"1\",\"s\":1,\"v\":{\"user\":\"user\",\"pwd\":\"pwd\"}}"
          .getBytes(StandardCharsets.UTF_8));
      JsonObject login = new JsonObject(ws.read().text());
      assertEquals("LOGIN", login.getString("C"));
      assertTrue(login.getJsonObject("v").getLong("cID") > 0, login.encode());
    }
  }

  /**
   * A client that provokes replies and never reads them (a 4 KiB receive buffer, no reads): once its write
   * queue is full the server stops reading it, and after writeStallTimeoutMillis closes it; meanwhile the real
   * client is served.
   */
  @Test
  void aPeerThatNeverReadsIsClosedWithoutStallingAnyoneElse() throws Exception {
    try (RawWebSocket deaf = RawWebSocket.open(port, Protocol.SUBPROTOCOL, 4096)) {
      String session = hello(deaf, Role.CLIENT);
      Thread writer = new Thread(() -> {
        try {
          byte[] garbage = {0, 0, 0};
          while (true) {
            deaf.sendBinary(garbage); // each one is answered by an error reply nobody reads
          }
        } catch (IOException e) {
          // the server closed it, or the test did
        }
      }, "deaf-writer");
      writer.setDaemon(true);
      writer.start();

      Pattern stalled = Pattern.compile("client " + Pattern.quote(session) + " at .* has not read what the server"
          + " sent it");
      while (server.countLines(stalled) == 0) {
        assertRealWorkIsServed(); // while the deaf peer's replies pile up
        assertTrue(writer.isAlive() || server.countLines(stalled) > 0, "the writer stopped early");
      }
      // its connection is closed; the session itself waits the grace period for a client that reads again
      Pool.awaitStatus(server, s -> s.getJsonArray("clients").stream()
          .map(io.vertx.core.json.JsonObject.class::cast)
          .noneMatch(c -> c.getString("id").equals(session) && c.getBoolean("connected")),
          Duration.ofSeconds(30));
      int code = deaf.drainToClose(); // the close frame is behind the unread replies, if it was sent at all
      assertTrue(code == CloseCodes.NOT_READING || code == -1, "closed with " + code);
      assertEquals(1, server.countLines(stalled), "logged once");
    }
  }
}
