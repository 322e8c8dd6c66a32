package io.antpool.bench;

import io.antpool.config.NativeTransport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw transfer for {@link PayloadBench}: bare Vert.x WebSockets on loopback with AntPool's limits (frames of
 * at most 1 MiB, messages up to 64 MiB; see {@link #serverOptions()}), and nothing of AntPool in between. A request
 * is one binary message of {@value #REQUEST_BYTES} bytes, {@code int size, long seed}; its answer is one binary
 * message of {@link BenchTasks#randomBytes randomBytes(size, seed)}. Those bytes are made at the first request for
 * a (size, seed) and then sent as they are, so what a repeated request times is the transfer alone.
 *
 * <ul>
 *   <li>{@code serve}: answers requests itself, one hop from server to client. Prints {@code blob listening on
 *       PORT}.
 *   <li>{@code relay}: forwards every request to a source connected to it and the source's answer back to the
 *       requester, whole message by whole message: the shape of AntPool's server between a client and a worker.
 *       Prints {@code relay listening on PORT}.
 *   <li>{@code source PORT masked|unmasked}: connects to the relay on 127.0.0.1:PORT as a WebSocket client, as a
 *       worker connects to AntPool's server, and answers its requests. A WebSocket client masks every frame it
 *       sends (RFC 6455: each byte XORed with a key, which the receiver undoes), as AntPool's workers do; with
 *       {@code unmasked} it sends its frames as they are (Vert.x's {@code sendUnmaskedFrames}), to show what the
 *       masking costs. Prints {@code source connected}.
 * </ul>
 */
public final class BlobServer {
  static final int REQUEST_BYTES = Integer.BYTES + Long.BYTES;
  static final String SOURCE_PATH = "/source";
  /** AntPool's WebSocket frame limit on both sides ({@code ServerCore}, {@code Dialer}). */
  static final int MAX_FRAME = 1024 * 1024;
  /** The AntPool server's default {@code maxFrameBytes}, as in {@code conf/server.json}. */
  static final int SERVER_MAX_MESSAGE = 64 * 1024 * 1024;
  /** What AntPool's clients and workers accept ({@code Protocol.MAX_FRAME_BYTES}). */
  static final int CLIENT_MAX_MESSAGE = 256 * 1024 * 1024;

  private final Map<Long, Map<Integer, Buffer>> blobs = new ConcurrentHashMap<>();
  private WebSocketClient client;

  private BlobServer() {
  }

  /** The WebSocket limits of an AntPool server with its default {@code maxFrameBytes}. */
  static HttpServerOptions serverOptions() {
    return new HttpServerOptions().setHost("127.0.0.1").setPort(0).setMaxWebSocketFrameSize(MAX_FRAME)
        .setMaxWebSocketMessageSize(SERVER_MAX_MESSAGE);
  }

  /** The WebSocket limits of AntPool's clients and workers. */
  static WebSocketClientOptions clientOptions() {
    return new WebSocketClientOptions().setMaxFrameSize(MAX_FRAME).setMaxMessageSize(CLIENT_MAX_MESSAGE);
  }

  /** A request for {@code size} bytes made from {@code seed}. */
  static Buffer request(int size, long seed) {
    return Buffer.buffer(REQUEST_BYTES).appendInt(size).appendLong(seed);
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    Vertx vertx = NativeTransport.vertx();
    BlobServer blobs = new BlobServer();
    switch (mode) {
      case "serve" -> {
        int port = vertx.createHttpServer(serverOptions())
            .webSocketHandler(ws -> ws.binaryMessageHandler(request -> blobs.answer(ws, request)))
            .listen().await().actualPort();
        System.out.println("blob listening on " + port + ", transport " + NativeTransport.describe(vertx));
      }
      case "relay" -> System.out.println("relay listening on " + relay(vertx) + ", transport "
          + NativeTransport.describe(vertx));
      case "source" -> {
        if (args.length < 3 || !args[2].matches("masked|unmasked")) {
          usage();
        }
        boolean unmasked = args[2].equals("unmasked");
        // held by the answering handler: Vert.x closes a client it finds unreachable, and its connections with it
        blobs.client = vertx.createWebSocketClient(clientOptions().setSendUnmaskedFrames(unmasked));
        ClientWebSocket ws = blobs.client.webSocket();
        ws.binaryMessageHandler(request -> blobs.answer(ws, request));
        ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[1]))
            .setURI(SOURCE_PATH + "/" + args[2])).await();
        System.out.println("source connected");
      }
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: BlobServer serve | relay | source RELAY_PORT masked|unmasked");
    System.exit(2);
  }

  /** Answers one request on {@code ws}, or closes it with the reason when the request is not one. */
  private void answer(WebSocket ws, Buffer request) {
    int size = request.length() == REQUEST_BYTES ? request.getInt(0) : -1;
    if (size < 0 || size > SERVER_MAX_MESSAGE) {
      ws.close((short) 1008, "a request is int size (0 to " + SERVER_MAX_MESSAGE + ") and long seed");
      return;
    }
    long seed = request.getLong(Integer.BYTES);
    Buffer blob = blobs.computeIfAbsent(seed, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(size, n -> Buffer.buffer(BenchTasks.randomBytes(n, seed)));
    ws.writeBinaryMessage(blob);
  }

  /** One way through the relay: the source that answers, and the requesters waiting for it in order. */
  private record Route(AtomicReference<ServerWebSocket> source, Queue<ServerWebSocket> waiting) {
  }

  /**
   * Starts the relay. A source connects on {@code /source/masked} or {@code /source/unmasked}, a requester on
   * {@code /masked} or {@code /unmasked}, and gets its answers from the source of that name. Each source answers in
   * order, so the requesters waiting for it form a queue; connections may live on different event loops, hence
   * the concurrent collections. The relay accepts unmasked frames (Vert.x's {@code acceptUnmaskedFrames}); masked
   * ones are unmasked as usual.
   *
   * @return its port
   */
  private static int relay(Vertx vertx) {
    Map<String, Route> routes = Map.of(
        "/masked", new Route(new AtomicReference<>(), new ConcurrentLinkedQueue<>()),
        "/unmasked", new Route(new AtomicReference<>(), new ConcurrentLinkedQueue<>()));
    return vertx.createHttpServer(serverOptions().setAcceptUnmaskedFrames(true)).webSocketHandler(ws -> {
      boolean isSource = ws.path().startsWith(SOURCE_PATH + "/");
      Route route = routes.get(isSource ? ws.path().substring(SOURCE_PATH.length()) : ws.path());
      if (route == null) {
        ws.close((short) 1008, "no route " + ws.path() + "; requesters use " + routes.keySet()
            + ", sources the same under " + SOURCE_PATH);
      } else if (isSource) {
        route.source().set(ws);
        ws.binaryMessageHandler(answer -> {
          ServerWebSocket requester = route.waiting().poll();
          if (requester != null) {
            requester.writeBinaryMessage(answer);
          }
        });
      } else {
        ws.binaryMessageHandler(request -> {
          ServerWebSocket to = route.source().get();
          if (to == null) {
            ws.close((short) 1011, "no source has connected to the relay on " + SOURCE_PATH + ws.path());
            return;
          }
          route.waiting().add(ws);
          to.writeBinaryMessage(request);
        });
      }
    }).listen().await().actualPort();
  }
}
