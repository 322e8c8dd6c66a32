package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Role;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's protections against web pages and floods, on a real server: WebSocket upgrades from foreign
 * origins are refused for both protocols while the dashboard's own origin, allowed origins and programs without
 * an origin connect; {@code maxConnections} refuses upgrades beyond it and admits again once one closes;
 * {@code maxQueuedPerClient} refuses a client's task beyond it, for v2 and v1 clients, and no other client's.
 */
class NetworkProtectionsTest {
  private TestServer server;
  private WebSocketClient ws;

  private TestServer start(JsonObject options) throws Exception {
    server = TestServer.start(options);
    ws = server.vertx.createWebSocketClient();
    return server;
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** Options for /ws with this Origin header (null: none), asking for v2 when {@code v2}, else speaking v1. */
  private WebSocketConnectOptions options(String origin, boolean v2) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port)
        .setURI(Protocol.WS_PATH);
    if (v2) {
      options.addSubProtocol(Protocol.SUBPROTOCOL);
    }
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return options;
  }

  private RawPeer v2(String origin) throws Exception {
    return RawPeer.connect(ws, options(origin, true));
  }

  private V1Peer v1(String origin) throws Exception {
    return V1Peer.connect(ws, options(origin, false));
  }

  /** The refusal of an upgrade that must fail: its status and body. */
  private UpgradeRejectedException refused(String origin, boolean v2) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> ws.connect(options(origin, v2))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return assertInstanceOf(UpgradeRejectedException.class, e.getCause());
  }

  @Test
  void aForeignOriginIsRefusedBeforeTheUpgradeForBothProtocolsAndLoggedOnce() throws Exception {
    start(new JsonObject());
    try (LogCapture log = LogCapture.of("io.antpool.server.impl.UpgradeGate", Level.WARN)) {
      for (boolean v2 : new boolean[] {true, false}) {
        UpgradeRejectedException e = refused("https://evil.example", v2);
        assertEquals(403, e.getStatus());
        assertTrue(e.getBody().toString(StandardCharsets.UTF_8).contains("https://evil.example"));
      }
      assertEquals(403, refused("null", true).getStatus()); // what a sandboxed page or a local file sends
      // same host, other port: another site as far as the browser is concerned
      assertEquals(403, refused("http://127.0.0.1:" + (server.port == 1 ? 2 : server.port - 1), true).getStatus());
      String first = log.next();
      assertTrue(first.contains("https://evil.example"), first);
      String second = log.next();
      assertTrue(second.contains("origin null"), "the second origin's warning, not a repeat of the first: "
          + second);
    }
  }

  @Test
  void theDashboardsOwnOriginProgramsWithoutOriginAndAllowedOriginsConnect() throws Exception {
    start(new JsonObject().put("allowedOrigins", new JsonArray().add("http://localhost:3000")));
    String own = "http://127.0.0.1:" + server.port;
    for (String origin : new String[] {own, null, "http://LOCALHOST:3000"}) {
      RawPeer peer = v2(origin);
      assertNotNull(peer.hello(Role.CLIENT), "v2 client with origin " + origin);
      peer.ws.close();
      V1Peer v1 = v1(origin);
      assertTrue(v1.login() > 0, "v1 client with origin " + origin);
      v1.ws.close();
    }
  }

  @Test
  void upgradesBeyondMaxConnectionsAreRefusedWith503UntilOneCloses() throws Exception {
    start(new JsonObject().put("maxConnections", 2));
    v2(null);
    V1Peer first = v1(null);
    UpgradeRejectedException e = refused(null, true);
    assertEquals(503, e.getStatus());
    assertTrue(e.getBody().toString(StandardCharsets.UTF_8).contains("maxConnections"));
    // the dashboard and health checks are plain HTTP and still answer
    assertEquals("UP", server.getJson("/health").getString("status"));

    first.ws.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    RawPeer again = v2(null);
    assertNotNull(again.hello(Role.CLIENT), "a connection that closed makes room for a new one");
  }

  @Test
  void aClientsTaskBeyondMaxQueuedPerClientIsRefusedAndOtherClientsAreNot() throws Exception {
    start(new JsonObject().put("maxQueuedPerClient", 2));
    RawPeer greedy = server.client();
    RawPeer other = server.client();
    greedy.submit(1);
    greedy.submit(2);
    greedy.submit(3);
    ErrorReply full = greedy.nextError();
    assertEquals(ErrorCode.QUEUE_FULL, full.code());
    assertEquals(3L, full.taskId());
    assertTrue(full.message().contains("maxQueuedPerClient"), full.message());

    // the other client queues up to its own limit: its first refusal is for its third task
    other.submit(1);
    other.submit(2);
    other.submit(3);
    ErrorReply otherFull = other.nextError();
    assertEquals(3L, otherFull.taskId());

  }

  @Test
  void aV1JobBeyondMaxQueuedPerClientIsAnsweredWithRet40() throws Exception {
    start(new JsonObject().put("maxQueuedPerClient", 1));
    V1Peer client = v1(null);
    client.login();
    client.job(0, "r1t_va1 = 1");
    int refusedStamp = client.job(0, "r1t_va1 = 2");
    JsonObject reply = client.next("JOB");
    assertEquals(String.valueOf(refusedStamp), reply.getString("s"));
    assertEquals(40, reply.getJsonObject("v").getInteger("ret"));
    assertTrue(reply.getJsonObject("v").getString("retval").contains("maxQueuedPerClient"), reply.encode());
  }
}
