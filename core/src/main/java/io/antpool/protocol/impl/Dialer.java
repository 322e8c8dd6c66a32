package io.antpool.protocol.impl;

import io.antpool.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;

/** Opens {@code antpool.v2} WebSockets to a server, for task clients and workers alike. */
public final class Dialer {
  private Dialer() {
  }

  /** A WebSocket client whose limits match the server's (1 MiB frames, messages up to the frame limit). */
  public static WebSocketClient client(Vertx vertx) {
    return vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(Protocol.MAX_FRAME_BYTES));
  }

  /**
   * Connects to {@code server}'s {@code /ws} asking for {@link Protocol#SUBPROTOCOL}. Fails, with a message
   * saying what is at the other end, when the server is unreachable or does not speak the subprotocol.
   */
  public static Future<WebSocket> connect(WebSocketClient client, URI server) {
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(server.getHost())
        .setPort(server.getPort())
        .setSsl("wss".equalsIgnoreCase(server.getScheme()))
        .setURI(Protocol.WS_PATH)
        .addSubProtocol(Protocol.SUBPROTOCOL);
    return client.connect(options)
        .recover(e -> Future.failedFuture("cannot reach the AntPool server at " + server + " (" + e.getMessage() + ")"))
        .compose(ws -> {
          if (Protocol.SUBPROTOCOL.equals(ws.subProtocol())) {
            return Future.succeededFuture(ws);
          }
          ws.close();
          return Future.failedFuture(server + " did not accept WebSocket subprotocol " + Protocol.SUBPROTOCOL
              + "; is it an AntPool for Java server of the same version?");
        });
  }
}
