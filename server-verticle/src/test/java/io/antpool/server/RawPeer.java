package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.antpool.auth.TokenSource;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A raw WebSocket peer of a test server that records every frame it receives and the close status. */
final class RawPeer {
  static final PeerInfo PEER = new PeerInfo("test-peer", "localhost", "127.0.0.1", "test-os", 2, 1L << 30,
      1L << 29, 1.0, 1, "test");

  final WebSocket ws;
  final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Short> closed = new CompletableFuture<>();

  private RawPeer(ClientWebSocket ws) {
    this.ws = ws;
    // the server coalesces what it sends in one turn into a batch: its frames are recorded one by one
    ws.binaryMessageHandler(b -> FrameBatch.split(b).forEach(f -> frames.add(Frame.decode(f))));
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  /** Handlers are set before connecting: the server may close at once. */
  static RawPeer connect(WebSocketClient client, int port, boolean withSubprotocol) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(Protocol.WS_PATH);
    if (withSubprotocol) {
      options.addSubProtocol(Protocol.SUBPROTOCOL);
    }
    return connect(client, options);
  }

  /** A peer connected with these options (e.g. with headers of its own). */
  static RawPeer connect(WebSocketClient client, WebSocketConnectOptions options) throws Exception {
    RawPeer peer = new RawPeer(client.webSocket());
    ((ClientWebSocket) peer.ws).connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return peer;
  }

  void send(Frame frame) {
    ws.writeBinaryMessage(frame.encode());
  }

  Frame next() throws InterruptedException {
    Frame f = frames.poll(30, TimeUnit.SECONDS);
    assertNotNull(f, "no frame from the server within 30 s");
    return f;
  }

  /** The next frame, which must carry a header of this type. */
  <T extends Message> T next(Class<T> type) throws InterruptedException {
    return assertInstanceOf(type, next().header());
  }

  ErrorReply nextError() throws InterruptedException {
    return next(ErrorReply.class);
  }

  Welcome hello(Hello hello) throws InterruptedException {
    send(Frame.of(hello));
    return next(Welcome.class);
  }

  /** Says hello in {@code role}; returns the session id of the welcome. */
  String hello(Role role) throws InterruptedException {
    return hello(new Hello(role, Protocol.VERSION, PEER, localToken())).sessionId();
  }

  /**
   * The token of servers on this machine, from the token file a test server made (or $ANTPOOL_TOKEN), as an
   * AntPool peer finds it: test servers run in the default {@code token} mode.
   */
  static String localToken() {
    return TokenSource.resolve(null);
  }

  String helloAsClient() throws InterruptedException {
    return hello(Role.CLIENT);
  }

  String helloAsWorker() throws InterruptedException {
    return hello(Role.WORKER);
  }

  /** As a client: submits a callable task with a made-up payload. */
  void submit(long taskId) {
    send(Frame.of(new Submit(taskId, TaskKind.CALLABLE, 0), new byte[] {1, 2, 3}));
  }

  /** As a worker slot: answers {@code dispatch} with {@code status} (an error, for ERROR and LOST). */
  void answer(Dispatch dispatch, Result.Status status) {
    boolean ok = status == Result.Status.VALUE;
    send(Frame.of(new Result(dispatch.taskId(), status, ok ? null : "java.lang.IllegalStateException",
        ok ? null : "boom", null), new byte[] {42}));
  }

  /** As a worker slot: waits for the next dispatch and answers it with {@code status}. */
  Dispatch answerNext(Result.Status status) throws InterruptedException {
    Dispatch dispatch = next(Dispatch.class);
    answer(dispatch, status);
    return dispatch;
  }
}
