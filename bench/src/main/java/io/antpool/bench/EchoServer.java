package io.antpool.bench;

import io.antpool.config.NativeTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

/**
 * The floor of one hop, for {@link EchoBench}: a bare Vert.x WebSocket server on loopback that sends every binary
 * message straight back, with nothing of AntPool between. Prints {@code echo listening on PORT, transport NAME}
 * when ready: the same transport as AntPool's own JVMs ({@link NativeTransport}), so that the comparison is fair.
 */
public final class EchoServer {
  private EchoServer() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = NativeTransport.vertx();
    int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage))
        .listen().await().actualPort();
    System.out.println("echo listening on " + port + ", transport " + NativeTransport.describe(vertx));
  }
}
