package io.antpool.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WorkerOptions}: JSON round-trips with the documented keys; an unknown key, an unknown transport, a
 * server address that is not {@code ws(s)://HOST[:PORT]} and out-of-range values are refused with an
 * {@link IllegalArgumentException} saying what is expected, and a refused setter leaves the options as they
 * were.
 */
class WorkerOptionsTest {

  @Test
  void defaultsConnectOverAWebSocketToTheLocalServer() {
    WorkerOptions o = WorkerOptions.fromJson(new JsonObject());

    assertEquals(WorkerOptions.Transport.WEBSOCKET, o.getTransport());
    assertEquals(URI.create("ws://127.0.0.1:8086"), o.serverUri());
    assertNull(o.getName());
    assertEquals(60_000, o.getFetchTimeoutMillis());
    assertEquals(10_000, o.getReconnectMaxMillis());
    assertEquals(10_000, o.getServerTimeoutMillis());
    assertEquals(20_000, o.getDrainTimeoutMillis());
    assertFalse(o.isMaskFrames(), "workers send unmasked frames unless told to mask them");
  }

  @Test
  void toJsonAndFromJsonRoundTrip() {
    WorkerOptions original = new WorkerOptions().setServer("wss://pool.example.org:443")
        .setTransport(WorkerOptions.Transport.EVENTBUS).setName("{host}-fast").setFetchTimeoutMillis(1500)
        .setReconnectMaxMillis(250).setServerTimeoutMillis(1500).setDrainTimeoutMillis(700)
        .setTags(java.util.Map.of("region", "eu", "gpu", "")).setToken("t0k").setUser("ann").setPassword("pw")
        .setMaskFrames(true);

    JsonObject json = original.toJson();
    WorkerOptions copy = WorkerOptions.fromJson(json);

    assertEquals(json, copy.toJson());
    // trustCertFile and trustAll exclude each other; trustCertFile has a test of its own
    java.util.Set<String> keys = new java.util.HashSet<>(WorkerOptions.KEYS);
    keys.remove("trustCertFile");
    keys.remove("trustAll");
    assertEquals(keys, json.fieldNames());
    assertEquals("eventbus", json.getString("transport"));
    assertEquals(URI.create("wss://pool.example.org:443"), copy.serverUri());
    assertEquals("{host}-fast", copy.getName());
    assertEquals(1500, copy.getFetchTimeoutMillis());
    assertEquals(250, copy.getReconnectMaxMillis());
    assertEquals(1500, copy.getServerTimeoutMillis());
    assertEquals(700, copy.getDrainTimeoutMillis());
    assertTrue(copy.isMaskFrames());
    assertEquals(java.util.Map.of("region", "eu", "gpu", ""), copy.getTags());
    assertEquals("t0k", copy.getToken());
    assertEquals("ann", copy.getUser());
    assertEquals("pw", copy.getPassword());
  }

  @Test
  void tagsAreAnObjectOfStringsWhereABareTagHasTheEmptyValue() {
    WorkerOptions o = WorkerOptions.fromJson(new JsonObject().put("tags",
        new JsonObject().put("region", " eu ").put("gpu", "")));

    assertEquals(java.util.Map.of("region", "eu", "gpu", ""), o.getTags());
    assertEquals(java.util.Map.of(), new WorkerOptions().getTags(), "no tags by default");
    assertFalse(new WorkerOptions().toJson().containsKey("tags"), "no tags, no key");
  }

  @Test
  void tagsThatAreNotStringsAreRefusedWithTheFormExpected() {
    IllegalArgumentException notObject = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("tags", "region=eu")));
    assertTrue(notObject.getMessage().contains("tags must be a JSON object of strings"), notObject.getMessage());

    IllegalArgumentException notString = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("tags", new JsonObject().put("cores", 8))));
    assertTrue(notString.getMessage().contains("tag cores must have a string value"), notString.getMessage());
  }

  @Test
  void anUnsetNameIsLeftOutOfTheJson() {
    assertFalse(new WorkerOptions().toJson().containsKey("name"));
  }

  @Test
  void theServerIsNormalizedButKeptAsTyped() {
    WorkerOptions o = WorkerOptions.fromJson(new JsonObject().put("server", "10.0.0.5"));

    assertEquals("10.0.0.5", o.getServer());
    assertEquals(URI.create("ws://10.0.0.5:8086"), o.serverUri());
  }

  @Test
  void anUnknownKeyIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("serverUrl", "ws://h")));

    assertTrue(e.getMessage().contains("unknown worker option \"serverUrl\""), e.getMessage());
    assertTrue(e.getMessage().contains("known options: drainTimeoutMillis, fetchTimeoutMillis, maskFrames, name,"
        + " password, reconnectMaxMillis, server, serverTimeoutMillis, tags, token, transport, trustAll, trustCertFile,"
        + " user"),
        e.getMessage());
  }

  @Test
  void aCertificateToTrustRoundTripsAndExcludesTrustAll(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "PEM");
    WorkerOptions copy = WorkerOptions.fromJson(new WorkerOptions().setTrustCertFile(pem.toString()).toJson());
    assertEquals(pem.toString(), copy.getTrustCertFile());
    assertFalse(copy.isTrustAll());
    assertEquals(pem.toString(), copy.tls().trustCertFile());

    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> copy.setTrustAll(true));
    assertTrue(both.getMessage().contains("not both"), both.getMessage());
    assertTrue(WorkerOptions.fromJson(new JsonObject().put("trustAll", true)).isTrustAll());
  }

  @Test
  void aMissingCertificateToTrustIsRefusedWithWhatToDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String missing = dir.resolve("nope.pem").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("trustCertFile", missing)));
    assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("--ca-file"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"eventbus", "EventBus", "EVENTBUS"})
  void theTransportIsReadWhateverItsCase(String transport) {
    assertEquals(WorkerOptions.Transport.EVENTBUS,
        WorkerOptions.fromJson(new JsonObject().put("transport", transport)).getTransport());
  }

  @Test
  void anUnknownTransportIsRefusedListingTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("transport", "udp")));

    assertEquals("transport \"udp\" is unknown; use websocket or eventbus", e.getMessage());
  }

  @Test
  void anHttpServerAddressIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("server", "http://x")));

    assertTrue(e.getMessage().contains("http://x must start with ws:// or wss://"), e.getMessage());
  }

  @Test
  void aServerAddressWithoutHostIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("server", "ws://")));

    assertTrue(e.getMessage().contains("ws://HOST:PORT"), e.getMessage());
  }

  @Test
  void aRefusedServerLeavesTheOptionsUnchanged() {
    WorkerOptions o = new WorkerOptions().setServer("ws://good:1");

    assertThrows(IllegalArgumentException.class, () -> o.setServer("ftp://bad"));
    assertEquals("ws://good:1", o.getServer());
  }

  @Test
  void aNumberGivenAsAStringIsAWrongType() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("fetchTimeoutMillis", "60s")));

    assertEquals("option \"fetchTimeoutMillis\" must be a whole number, not the string \"60s\"", e.getMessage());
  }

  @Test
  void outOfRangeTimesAreRefused() {
    IllegalArgumentException fetch = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("fetchTimeoutMillis", 0)));
    assertEquals("fetchTimeoutMillis must be positive, got 0", fetch.getMessage());

    IllegalArgumentException reconnect = assertThrows(IllegalArgumentException.class,
        () -> WorkerOptions.fromJson(new JsonObject().put("reconnectMaxMillis", 249)));
    assertEquals("reconnectMaxMillis must be at least 250, got 249", reconnect.getMessage());
  }
}
