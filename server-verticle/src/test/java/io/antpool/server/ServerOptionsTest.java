package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ServerOptions}: JSON round-trips; absent keys keep their defaults; an unknown key, a value of the
 * wrong JSON type or out of range is refused with an {@link IllegalArgumentException} that names the key or
 * value and says what is expected.
 */
class ServerOptionsTest {

  @Test
  void emptyJsonGivesTheDefaults() {
    ServerOptions o = ServerOptions.fromJson(new JsonObject());

    assertEquals("0.0.0.0", o.getHost());
    assertEquals(8086, o.getPort());
    assertEquals(3, o.getMaxAttempts());
    assertEquals(30_000, o.getAckTimeoutMillis());
    assertEquals(60_000, o.getFetchTimeoutMillis());
    assertEquals(10_000, o.getPeerTimeoutMillis());
    assertEquals(10_000, o.getHelloTimeoutMillis());
    assertEquals(30_000, o.getWriteStallTimeoutMillis());
    assertEquals(64 * 1024 * 1024, o.getMaxFrameBytes());
    assertEquals(1, o.getReadyMinWorkers());
    assertEquals(".", o.getLogDir());
    assertFalse(o.isVerbose());
    assertEquals(new ServerOptions().toJson(), o.toJson());
  }

  @Test
  void toJsonAndFromJsonRoundTrip() {
    ServerOptions original = new ServerOptions().setHost("127.0.0.1").setPort(0).setMaxAttempts(7)
        .setAckTimeoutMillis(1234).setFetchTimeoutMillis(5678).setPeerTimeoutMillis(2500)
        .setHelloTimeoutMillis(300).setWriteStallTimeoutMillis(400).setMaxFrameBytes(1 << 20)
        .setReadyMinWorkers(4).setLogDir("/var/log/antpool").setVerbose(true);

    ServerOptions copy = ServerOptions.fromJson(original.toJson());

    assertEquals(original.toJson(), copy.toJson());
    assertEquals("127.0.0.1", copy.getHost());
    assertEquals(0, copy.getPort());
    assertEquals(7, copy.getMaxAttempts());
    assertEquals(1234, copy.getAckTimeoutMillis());
    assertEquals(2500, copy.getPeerTimeoutMillis());
    assertEquals(5678, copy.getFetchTimeoutMillis());
    assertEquals(300, copy.getHelloTimeoutMillis());
    assertEquals(400, copy.getWriteStallTimeoutMillis());
    assertEquals(1 << 20, copy.getMaxFrameBytes());
    assertEquals(4, copy.getReadyMinWorkers());
    assertEquals("/var/log/antpool", copy.getLogDir());
    assertTrue(copy.isVerbose());
  }

  @Test
  void theJsonKeysAreTheDocumentedOnes() {
    assertEquals(ServerOptions.KEYS, new ServerOptions().toJson().fieldNames());
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("port", 9000).put("maxAttempt", 2)));

    assertTrue(e.getMessage().contains("unknown server option \"maxAttempt\""), e.getMessage());
    assertTrue(e.getMessage().contains("known options: ackTimeoutMillis, allowUnauthenticatedPublicBind, "
        + "allowedOrigins, auth, clientGraceMillis, fetchTimeoutMillis, helloTimeoutMillis, host, legacyPingMillis, "
        + "logDir, maxAttempts, maxConnections, maxFrameBytes, maxQueuedPerClient, peerTimeoutMillis, port, prefetch, "
        + "readyMinWorkers, ssl, sslCert, sslKey, tokenFile, trustedNetworks, usersFile, verbose, "
        + "writeStallTimeoutMillis"), e.getMessage());
  }

  @Test
  void securityOptionsRoundTripWithTheSeedsFileNamesAsDefaults() {
    ServerOptions defaults = new ServerOptions();
    assertEquals("privkey.key", defaults.getSslKey());
    assertEquals("cacert.csr", defaults.getSslCert());
    assertTrue(defaults.getMaxConnections() >= 10_100, "room for 10,000 workers and 100 clients");

    ServerOptions o = ServerOptions.fromJson(new JsonObject().put("ssl", true).put("sslKey", "k.pem")
        .put("sslCert", "c.pem").put("allowedOrigins", new io.vertx.core.json.JsonArray()
            .add("HTTPS://Pool.Example.org:443")).put("maxConnections", 5).put("maxQueuedPerClient", 7));
    ServerOptions copy = ServerOptions.fromJson(o.toJson());

    assertTrue(copy.isSsl());
    assertEquals("k.pem", copy.getSslKey());
    assertEquals("c.pem", copy.getSslCert());
    assertEquals(java.util.List.of("https://pool.example.org"), copy.getAllowedOrigins());
    assertEquals(5, copy.getMaxConnections());
    assertEquals(7, copy.getMaxQueuedPerClient());
  }

  @Test
  void anAllowedOriginWithAPathOrNoSchemeIsRefusedWithAnExample() {
    for (String bad : new String[] {"https://pool.example.org/antadmin", "pool.example.org"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.fromJson(
          new JsonObject().put("allowedOrigins", new io.vertx.core.json.JsonArray().add(bad))));
      assertTrue(e.getMessage().contains("scheme://host[:port]"), e.getMessage());
    }
  }

  @Test
  void limitsBelowOneAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ServerOptions().setMaxConnections(0));
    assertThrows(IllegalArgumentException.class, () -> new ServerOptions().setMaxQueuedPerClient(0));
  }

  @Test
  void authOptionsRoundTripAndBadOnesAreNamed() {
    ServerOptions o = ServerOptions.fromJson(new JsonObject().put("auth", "users").put("usersFile", "u.json")
        .put("tokenFile", "/tmp/t").put("allowUnauthenticatedPublicBind", true)
        .put("trustedNetworks", new io.vertx.core.json.JsonArray().add("10.1.0.0/16").add("::1")));
    assertEquals(AuthMode.USERS, o.getAuth());
    assertEquals(o.toJson(), ServerOptions.fromJson(o.toJson()).toJson());
    assertEquals(AuthMode.TOKEN, new ServerOptions().getAuth());
    assertEquals(ServerOptions.LOOPBACK_NETWORKS, new ServerOptions().getTrustedNetworks());

    IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("auth", "open")));
    assertTrue(mode.getMessage().contains("token (the default), users or none"), mode.getMessage());
    IllegalArgumentException cidr = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("trustedNetworks",
            new io.vertx.core.json.JsonArray().add("10.1.0.0/33"))));
    assertTrue(cidr.getMessage().contains("10.1.0.0/33"), cidr.getMessage());
  }

  @Test
  void aPortGivenAsAStringIsAWrongType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("port", "8086")));

    assertEquals("option \"port\" must be a whole number, not the string \"8086\"", e.getMessage());
  }

  @Test
  void aPortBeyondIntRangeIsRefusedNotWrappedAround() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("port", 4294975382L)));

    assertTrue(e.getMessage().contains("\"port\" is 4294975382, out of range"), e.getMessage());
  }

  @Test
  void aFractionalCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("maxAttempts", 2.5)));

    assertTrue(e.getMessage().contains("\"maxAttempts\" must be a whole number, not 2.5"), e.getMessage());
  }

  @Test
  void verboseGivenAsAStringIsAWrongType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("verbose", "yes")));

    assertEquals("option \"verbose\" must be true or false, not the string \"yes\"", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 70000})
  void anOutOfRangePortIsRefused(int port) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerOptions.fromJson(new JsonObject().put("port", port)));

    assertEquals("port " + port + " is out of range; use 0..65535 (0 picks a free port)", e.getMessage());
  }

  @Test
  void portBoundsAreAccepted() {
    assertEquals(0, ServerOptions.fromJson(new JsonObject().put("port", 0)).getPort());
    assertEquals(65535, ServerOptions.fromJson(new JsonObject().put("port", 65535)).getPort());
  }

  @Test
  void otherOutOfRangeValuesAreRefusedNamingTheOption() {
    assertRefused(new JsonObject().put("maxAttempts", 0), "maxAttempts must be at least 1, got 0");
    assertRefused(new JsonObject().put("ackTimeoutMillis", 0), "ackTimeoutMillis must be positive, got 0");
    assertRefused(new JsonObject().put("fetchTimeoutMillis", -5), "fetchTimeoutMillis must be positive, got -5");
    assertRefused(new JsonObject().put("host", " "), "host must be an address to bind");
    assertRefused(new JsonObject().put("helloTimeoutMillis", 99), "helloTimeoutMillis must be at least 100 ms");
    assertRefused(new JsonObject().put("writeStallTimeoutMillis", 0), "writeStallTimeoutMillis must be at least");
    assertRefused(new JsonObject().put("maxFrameBytes", 1000), "maxFrameBytes must be between 65536 and");
    assertRefused(new JsonObject().put("maxFrameBytes", Integer.MAX_VALUE), "(256 MiB), got 2147483647");
    assertRefused(new JsonObject().put("readyMinWorkers", -1), "readyMinWorkers must be 0 (ready as soon as the"
        + " server listens) or a number of worker slots, got -1");
  }

  private static void assertRefused(JsonObject json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.fromJson(json));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
