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
    Vertx vertx = Vertx.vertx();
    ServerVerticle server = new ServerVerticle();
    JsonObject config = options.copy().put("host", "127.0.0.1").put("port", 0);
    vertx.deployVerticle(server, new DeploymentOptions().setConfig(config)).toCompletionStage()
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new TestServer(vertx, server.actualPort(), vertx.createWebSocketClient(clientOptions));
  }

  /** A raw peer on {@code /ws}, asking for the {@code antpool.v2} subprotocol. */
  RawPeer connect() throws Exception {
    return connect(true);
  }

  RawPeer connect(boolean withSubprotocol) throws Exception {
    return RawPeer.connect(wsClient, port, withSubprotocol);
  }

  JsonObject getJson(String path) throws Exception {
    return HttpJson.get(vertx, port, path);
  }

  @Override
  public void close() throws Exception {
    wsClient.shutdown(0, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
