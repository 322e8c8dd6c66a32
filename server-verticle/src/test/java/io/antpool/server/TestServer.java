package io.antpool.server;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** A {@link ServerVerticle} on 127.0.0.1 and a free port, in a Vert.x of its own, with a WebSocket client. */
final class TestServer implements AutoCloseable {
  final Vertx vertx;
  final int port;
  private final WebSocketClient wsClient;

  private TestServer(Vertx vertx, int port, WebSocketClient wsClient) {
    this.vertx = vertx;
    this.port = port;
    this.wsClient = wsClient;
  }

  /** A server with these options on top of host 127.0.0.1 and port 0. */
  static TestServer start(JsonObject options) throws Exception {
    return start(options, new WebSocketClientOptions());
  }

  /** The same, whose peers' WebSocket client has {@code clientOptions}. */
  static TestServer start(JsonObject options, WebSocketClientOptions clientOptions) throws Exception {
    return start(Vertx.vertx(), new ServerVerticle(), options, clientOptions);
  }

  /** {@code server} deployed in {@code vertx} (which the test server closes) with these options. */
  static TestServer start(Vertx vertx, ServerVerticle server, JsonObject options) throws Exception {
    return start(vertx, server, options, new WebSocketClientOptions());
  }

  private static TestServer start(Vertx vertx, ServerVerticle server, JsonObject options,
      WebSocketClientOptions clientOptions) throws Exception {
    JsonObject config = options.copy().put("host", "127.0.0.1").put("port", 0);
    vertx.deployVerticle(server, new DeploymentOptions().setConfig(config)).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new TestServer(vertx, server.actualPort(), vertx.createWebSocketClient(clientOptions));
  }

  /** A raw peer on {@code /ws}, asking for the {@code antpool.v2} subprotocol. */
  RawPeer connect() throws Exception {
    return connect(true);
  }

  /** A raw peer that said hello as a worker slot, and is one once this returns. */
  RawPeer worker() throws Exception {
    RawPeer worker = connect();
    worker.helloAsWorker();
    return worker;
  }

  /** A raw peer that said hello as a client, and is one once this returns. */
  RawPeer client() throws Exception {
    RawPeer client = connect();
    client.helloAsClient();
    return client;
  }

  RawPeer connect(boolean withSubprotocol) throws Exception {
    return RawPeer.connect(wsClient, port, withSubprotocol);
  }

  JsonObject getJson(String path) throws Exception {
    return HttpJson.get(vertx, port, path);
  }

  HttpJson.Reply get(String path) throws Exception {
    return HttpJson.request(vertx, port, path);
  }

  @Override
  public void close() throws Exception {
    wsClient.shutdown(0, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
