package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.net.NetServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Heartbeat} on real WebSockets over loopback: a quiet peer that answers pings stays alive well past the
 * timeout; a peer that never answers is declared dead, once; the server's patient heartbeat, hearing every frame,
 * never pings a peer that pings it on its own schedule; and many heartbeats on one context, one declared dead,
 * leave the others watched.
 */
class HeartbeatTest {
  private static final long WAIT_SECONDS = 30;
  private static final long TIMEOUT_MILLIS = 400;

  private Vertx vertx;
  /** Kept: Vert.x closes a client's connections once the client is unreachable. */
  private WebSocketClient webSockets;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    webSockets = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aQuietPeerThatAnswersPingsStaysAlivePastTheTimeout() throws Exception {
    AtomicInteger dead = new AtomicInteger();
    CountDownLatch pinged = new CountDownLatch(6);
    int port = echoServer(ws -> Heartbeat.start(vertx, ws, TIMEOUT_MILLIS, dead::incrementAndGet));
    WebSocket client = connect(port);
    long t0 = System.nanoTime();
    client.frameHandler(frame -> { // the peer says nothing; Vert.x answers each ping with a pong by itself
      if (frame.type() == WebSocketFrameType.PING) {
        pinged.countDown();
      }
    });
    assertTrue(pinged.await(WAIT_SECONDS, TimeUnit.SECONDS), "the quiet peer was not pinged six times");
    assertTrue(System.nanoTime() - t0 > TIMEOUT_MILLIS * 1_000_000L, "six pings came within the timeout");
    assertEquals(0, dead.get(), "a peer that answered every ping was declared dead");
  }

  @Test
  void aPeerThatNeverAnswersIsDeclaredDeadOnce() throws Exception {
    int port = silentServer();
    Context context = vertx.getOrCreateContext();
    AtomicInteger deaths = new AtomicInteger();
    CompletableFuture<Long> dead = new CompletableFuture<>();
    long t0 = System.nanoTime();
    await(connectOn(context, port, ws -> Heartbeat.start(vertx, ws, TIMEOUT_MILLIS, () -> {
      deaths.incrementAndGet();
      dead.complete(System.nanoTime() - t0);
    })));
    long silentNanos = dead.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(silentNanos >= TIMEOUT_MILLIS * 1_000_000L, "declared dead after " + silentNanos / 1_000_000
        + " ms, before the timeout of " + TIMEOUT_MILLIS + " ms");
    CompletableFuture<Integer> later = new CompletableFuture<>();
    context.runOnContext(v -> vertx.setTimer(3 * TIMEOUT_MILLIS, id -> later.complete(deaths.get())));
    assertEquals(1, later.get(WAIT_SECONDS, TimeUnit.SECONDS), "onDead ran more than once");
  }

  @Test
  void thePatientSideHearsThePeersPingsAndNeverPingsIt() throws Exception {
    CountDownLatch heardPings = new CountDownLatch(4);
    AtomicInteger dead = new AtomicInteger();
    // the server's way: pinged only after half the timeout of quiet, every frame heard
    int port = echoServer(ws -> {
      Heartbeat server = Heartbeat.start(vertx, ws, TIMEOUT_MILLIS, TIMEOUT_MILLIS / 2, dead::incrementAndGet);
      ws.frameHandler(server.hearingFrames(frame -> {
        if (frame.type() == WebSocketFrameType.PING) {
          heardPings.countDown();
        }
      }));
    });
    AtomicInteger pingsToClient = new AtomicInteger();
    await(connectOn(vertx.getOrCreateContext(), port, client -> {
      // a client's or worker's way: pings the server after a quarter of the timeout of quiet
      Heartbeat.start(vertx, client, TIMEOUT_MILLIS, dead::incrementAndGet);
      client.frameHandler(frame -> {
        if (frame.type() == WebSocketFrameType.PING) {
          pingsToClient.incrementAndGet();
        }
      });
    }));
    assertTrue(heardPings.await(WAIT_SECONDS, TimeUnit.SECONDS), "the server did not see four pings");
    assertEquals(0, pingsToClient.get(), "the server pinged a peer that pings it");
    assertEquals(0, dead.get(), "either side was declared dead");
  }

  @Test
  void oneDeadPeerLeavesTheOthersOnTheSameContextWatched() throws Exception {
    AtomicInteger pingsAfterTheDeath = new AtomicInteger();
    CompletableFuture<Void> silentDead = new CompletableFuture<>();
    CountDownLatch pingedAfter = new CountDownLatch(4);
    int livePort = echoServer(ws -> ws.frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING && silentDead.isDone()) {
        pingsAfterTheDeath.incrementAndGet();
        pingedAfter.countDown();
      }
    }));
    int silentPort = silentServer();
    Context context = vertx.getOrCreateContext();
    AtomicInteger liveDeaths = new AtomicInteger();
    await(connectOn(context, livePort, ws -> Heartbeat.start(vertx, ws, TIMEOUT_MILLIS,
        liveDeaths::incrementAndGet)));
    await(connectOn(context, silentPort, ws -> Heartbeat.start(vertx, ws, TIMEOUT_MILLIS,
        () -> silentDead.complete(null))));
    silentDead.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertTrue(pingedAfter.await(WAIT_SECONDS, TimeUnit.SECONDS), "the live peer was not pinged after the silent"
        + " one was declared dead (" + pingsAfterTheDeath.get() + " pings)");
    assertEquals(0, liveDeaths.get(), "the live peer was declared dead too");
  }

  /** A WebSocket server that hands each socket to {@code onSocket} and answers nothing itself (Vert.x pongs). */
  private int echoServer(Consumer<ServerWebSocket> onSocket) throws Exception {
    HttpServer server = vertx.createHttpServer().webSocketHandler(onSocket::accept);
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  /**
   * A TCP server that accepts a WebSocket handshake, then neither reads nor answers anything: a peer whose process
   * hangs with its connection open.
   */
  private int silentServer() throws Exception {
    Pattern key = Pattern.compile("Sec-WebSocket-Key: (\\S+)", Pattern.CASE_INSENSITIVE);
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      StringBuilder request = new StringBuilder();
      socket.handler(data -> {
        request.append(data.toString(StandardCharsets.ISO_8859_1));
        Matcher m = key.matcher(request);
        if (request.indexOf("\r\n\r\n") >= 0 && m.find()) {
          socket.handler(ignored -> {
          });
          socket.write(Buffer.buffer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: " + accept(m.group(1)) + "\r\n\r\n"));
        }
      });
    });
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
          .getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }

  private WebSocket connect(int port) throws Exception {
    return await(connectOn(vertx.getOrCreateContext(), port, ws -> {
    }));
  }

  /**
   * Connects from {@code context}, where the socket's handlers run, and hands the socket to {@code onOpen} there
   * (a heartbeat is started on its socket's context).
   */
  private Future<WebSocket> connectOn(Context context, int port, Consumer<WebSocket> onOpen) {
    Promise<WebSocket> connected = Promise.promise();
    context.runOnContext(v -> webSockets.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(port).setURI("/")).onSuccess(onOpen::accept).onComplete(connected));
    return connected.future();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
