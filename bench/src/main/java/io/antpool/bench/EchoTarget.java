package io.antpool.bench;

import io.antpool.SerializableCallable;
import io.antpool.config.NativeTransport;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw Vert.x WebSocket echo between two JVMs as a {@link Target}, so that {@link Measure} drives it exactly as
 * it drives AntPool: each submit sends one 100-byte binary message to an {@link EchoServer} JVM, and the echo
 * completes the future. The task itself is not sent (that is AntPool's work); its value is computed here when the
 * echo arrives, so {@link Measure} can check it as it checks every target's (for a trivial task, nanoseconds).
 * This is the floor of one network hop there and back, which an AntPool task crosses twice (client to server,
 * server to worker).
 */
final class EchoTarget implements Target, AutoCloseable {
  private static final Pattern READY = Pattern.compile("echo listening on (\\d+), transport (.+)");
  private static final int FRAME = 100;

  private record Pending(SerializableCallable<?> task, CompletableFuture<Object> future) {
  }

  private final Vertx vertx = NativeTransport.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final Buffer frame = Buffer.buffer(new byte[FRAME]);
  /** In the order sent; the server echoes in order. Touched on {@link #context} only. */
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ChildJvm server;
  private final Path workDir;
  private WebSocketClient client;
  private ClientWebSocket ws;
  private String serverTransport;

  private EchoTarget(ChildJvm server, Path workDir) {
    this.server = server;
    this.workDir = workDir;
  }

  /** Starts the echo server JVM (class path: antpool.jar and the bench jar) and connects to it. */
  static EchoTarget start(String classPath, Duration readyTimeout) throws Exception {
    Path dir = Files.createTempDirectory("antpool-echo-");
    ChildJvm server = ChildJvm.startMain("echo", classPath, EchoServer.class.getName(), dir, List.of(), READY,
        false);
    EchoTarget target = new EchoTarget(server, dir);
    try {
      Matcher ready = server.awaitReady(readyTimeout);
      int port = Integer.parseInt(ready.group(1));
      target.serverTransport = ready.group(2);
      CompletableFuture<Void> connected = new CompletableFuture<>();
      target.context.runOnContext(v -> target.connect(port, connected));
      connected.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return target;
    } catch (Exception e) {
      target.close();
      throw e;
    }
  }

  private void connect(int port, CompletableFuture<Void> connected) {
    client = vertx.createWebSocketClient();
    ws = client.webSocket();
    ws.binaryMessageHandler(echo -> {
      Pending p = pending.pollFirst();
      try {
        p.future().complete(p.task().call());
      } catch (Exception e) {
        p.future().completeExceptionally(e);
      }
    });
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
        .onSuccess(v -> connected.complete(null))
        .onFailure(connected::completeExceptionally);
  }

  @Override
  public String name() {
    return "raw WebSocket echo";
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    context.runOnContext(v -> {
      pending.addLast(new Pending(task, future));
      ws.writeBinaryMessage(frame);
    });
    return (CompletableFuture<T>) future;
  }

  long serverPid() {
    return server.pid();
  }

  /** The network transport of the echo server's JVM and of this end, for the report: both AntPool's. */
  String transports() {
    return "server " + serverTransport + ", this JVM " + NativeTransport.describe(vertx);
  }

  @Override
  public void close() throws IOException {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the echo server goes next anyway
    }
    server.close();
    try (var files = Files.walk(workDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
