package io.antpool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link NativeTransport}: epoll where AntPool ships its library, NIO when turned off, a typed error for a
 * misspelt switch, and a WebSocket round trip on the transport chosen.
 */
class NativeTransportTest {

  @AfterEach
  void clearProperty() {
    System.clearProperty(NativeTransport.PROPERTY);
  }

  @Test
  @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
  void onLinuxX8664AntPoolsVertxRunsOnEpoll() throws Exception {
    Vertx vertx = NativeTransport.vertx();
    try {
      assertTrue(vertx.isNativeTransportEnabled(), () -> "native transport not in use: "
          + vertx.unavailableNativeTransportCause());
      assertEquals("epoll", NativeTransport.describe(vertx));
      assertEquals("epoll", NativeTransport.describe(), "the description made without a Vert.x agrees");
      echoOnce(vertx);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void falseTurnsItOffAndTheDescriptionSaysHow() throws Exception {
    System.setProperty(NativeTransport.PROPERTY, "False");
    assertFalse(NativeTransport.preferred());
    Vertx vertx = NativeTransport.vertx();
    try {
      assertFalse(vertx.isNativeTransportEnabled());
      String description = NativeTransport.describe(vertx);
      assertTrue(description.startsWith("nio") && description.contains("-Dantpool.nativeTransport=false"),
          description);
      assertEquals(description, NativeTransport.describe());
      echoOnce(vertx);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anythingButTrueOrFalseIsRefusedNamingTheProperty() {
    System.setProperty(NativeTransport.PROPERTY, "no");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NativeTransport::preferred);
    assertTrue(e.getMessage().contains("-Dantpool.nativeTransport=no") && e.getMessage().contains("false"),
        e.getMessage());
    System.setProperty(NativeTransport.PROPERTY, " TRUE ");
    assertTrue(NativeTransport.preferred());
  }

  /** One binary message to a WebSocket echo server and back, both on {@code vertx}. */
  private static void echoOnce(Vertx vertx) throws Exception {
    int port = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .webSocketHandler(ws -> ws.binaryMessageHandler(ws::writeBinaryMessage))
        .listen().await(10, TimeUnit.SECONDS).actualPort();
    // held in a variable to the end: Vert.x closes a client it finds unreachable, and its connections with it
    WebSocketClient client = vertx.createWebSocketClient();
    ClientWebSocket ws = client.webSocket();
    var echoed = new CompletableFuture<String>();
    ws.binaryMessageHandler(b -> echoed.complete(b.toString()));
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/"))
        .await(10, TimeUnit.SECONDS);
    ws.writeBinaryMessage(Buffer.buffer("ping"));
    assertEquals("ping", echoed.get(10, TimeUnit.SECONDS));
    client.close();
  }
}
