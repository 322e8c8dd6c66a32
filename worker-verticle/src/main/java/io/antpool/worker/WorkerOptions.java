package io.antpool.worker;

import io.antpool.config.OptionsJson;
import io.antpool.config.Tags;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ServerAddress;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of a worker slot: plain data with fluent setters and JSON round-tripping
 * ({@code conf/worker.json} holds the same keys).
 */
public final class WorkerOptions {
  static final Set<String> KEYS = Set.of("server", "transport", "name", "fetchTimeoutMillis",
      "reconnectMaxMillis", "serverTimeoutMillis", "drainTimeoutMillis", "tags", "trustCertFile", "trustAll",
      "token", "user", "password", "maskFrames");

  /** How the slot reaches the server. */
  public enum Transport {
    /** Over a WebSocket to {@code server} (the default: a worker JVM anywhere). */
    WEBSOCKET,
    /** Directly on the event bus (a worker deployed in the server's own Vert.x). */
    EVENTBUS
  }

  private String server = "ws://127.0.0.1:" + Protocol.DEFAULT_PORT;
  private Transport transport = Transport.WEBSOCKET;
  private String name;
  private long fetchTimeoutMillis = 60_000;
  private long reconnectMaxMillis = 10_000;
  private long serverTimeoutMillis = 10_000;
  private long drainTimeoutMillis = 20_000;
  private Map<String, String> tags = Map.of();
  private String trustCertFile;
  private boolean trustAll;
  private boolean maskFrames;
  private String token;
  private String user;
  private String password;

  /**
   * Reads options from JSON; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException naming the key and what is expected
   */
  public static WorkerOptions fromJson(JsonObject json) {
    OptionsJson.requireKnownKeys(json, KEYS, "worker");
    WorkerOptions o = new WorkerOptions();
    o.setServer(OptionsJson.stringValue(json, "server", o.server));
    String transport = OptionsJson.stringValue(json, "transport", o.transport.name());
    try {
      o.setTransport(Transport.valueOf(transport.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("transport \"" + transport + "\" is unknown; use websocket or eventbus");
    }
    o.setName(OptionsJson.stringValue(json, "name", o.name));
    o.setFetchTimeoutMillis(OptionsJson.longValue(json, "fetchTimeoutMillis", o.fetchTimeoutMillis));
    o.setReconnectMaxMillis(OptionsJson.longValue(json, "reconnectMaxMillis", o.reconnectMaxMillis));
    o.setServerTimeoutMillis(OptionsJson.longValue(json, "serverTimeoutMillis", o.serverTimeoutMillis));
    o.setDrainTimeoutMillis(OptionsJson.longValue(json, "drainTimeoutMillis", o.drainTimeoutMillis));
    o.setTags(tagsValue(json));
    o.setTrustAll(OptionsJson.booleanValue(json, "trustAll", o.trustAll));
    o.setTrustCertFile(OptionsJson.stringValue(json, "trustCertFile", o.trustCertFile));
    o.setMaskFrames(OptionsJson.booleanValue(json, "maskFrames", o.maskFrames));
    o.setToken(OptionsJson.stringValue(json, "token", null));
    o.setUser(OptionsJson.stringValue(json, "user", null));
    o.setPassword(OptionsJson.stringValue(json, "password", null));
    return o;
  }

  /** {@code "tags": {"region": "eu", "gpu": ""}}: string values only; a bare tag has the empty string. */
  private static Map<String, String> tagsValue(JsonObject json) {
    Object value = json.getValue("tags");
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("tags must be a JSON object of strings, e.g. {\"region\": \"eu\","
          + " \"gpu\": \"\"}; got " + value);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : object) {
      if (!(e.getValue() instanceof String s)) {
        throw new IllegalArgumentException("tag " + e.getKey() + " must have a string value (\"\" for a bare"
            + " tag); got " + e.getValue());
      }
      Map.Entry<String, String> tag = Tags.parse(e.getKey() + "=" + s);
      tags.put(tag.getKey(), tag.getValue());
    }
    return tags;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("server", server).put("transport", transport.name().toLowerCase(Locale.ROOT))
        .put("fetchTimeoutMillis", fetchTimeoutMillis).put("reconnectMaxMillis", reconnectMaxMillis)
        .put("serverTimeoutMillis", serverTimeoutMillis).put("drainTimeoutMillis", drainTimeoutMillis);
    if (!tags.isEmpty()) {
      json.put("tags", new JsonObject(new LinkedHashMap<String, Object>(tags)));
    }
    if (trustCertFile != null) {
      json.put("trustCertFile", trustCertFile);
    }
    if (trustAll) {
      json.put("trustAll", true);
    }
    if (maskFrames) {
      json.put("maskFrames", true);
    }
    if (token != null) {
      json.put("token", token);
    }
    if (user != null) {
      json.put("user", user).put("password", password);
    }
    return name == null ? json : json.put("name", name);
  }

  public String getToken() {
    return token;
  }

  /**
   * The server's token (mode {@code token}); without it the worker uses {@code ANTPOOL_TOKEN}, else the token
   * file the server wrote on this machine ({@code ~/.antpool/token}). Never logged.
   */
  public WorkerOptions setToken(String token) {
    this.token = token;
    return this;
  }

  public String getUser() {
    return user;
  }

  /** The user name on a server in {@code users} mode (a user with the role {@code work}). */
  public WorkerOptions setUser(String user) {
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  /** {@link #setUser user}'s password. Never logged. */
  public WorkerOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  /** Normalizes a server address; see {@link ServerAddress#parse}. */
  public static URI parseServer(String address) {
    return ServerAddress.parse(address);
  }

  public String getServer() {
    return server;
  }

  public WorkerOptions setServer(String server) {
    parseServer(server);
    this.server = server;
    return this;
  }

  public URI serverUri() {
    return parseServer(server);
  }

  public Transport getTransport() {
    return transport;
  }

  public WorkerOptions setTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  public String getName() {
    return name;
  }

  /** Display name; {@code {host}} and {@code {pid}} are replaced. Default: host/pid#slot. */
  public WorkerOptions setName(String name) {
    this.name = name;
    return this;
  }

  public long getFetchTimeoutMillis() {
    return fetchTimeoutMillis;
  }

  public WorkerOptions setFetchTimeoutMillis(long fetchTimeoutMillis) {
    if (fetchTimeoutMillis < 1) {
      throw new IllegalArgumentException("fetchTimeoutMillis must be positive, got " + fetchTimeoutMillis);
    }
    this.fetchTimeoutMillis = fetchTimeoutMillis;
    return this;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  /**
   * Routing tags this worker's slots carry (see {@link Tags}): tasks that require tags run only on slots that
   * carry them all. Default: none.
   */
  public WorkerOptions setTags(Map<String, String> tags) {
    Map<String, String> copy = new LinkedHashMap<>();
    tags.forEach((k, v) -> {
      Map.Entry<String, String> tag = Tags.parse(k + "=" + (v == null ? "" : v));
      copy.put(tag.getKey(), tag.getValue());
    });
    this.tags = Collections.unmodifiableMap(copy);
    return this;
  }

  public long getReconnectMaxMillis() {
    return reconnectMaxMillis;
  }

  /** Ceiling of the reconnection backoff. */
  public WorkerOptions setReconnectMaxMillis(long reconnectMaxMillis) {
    if (reconnectMaxMillis < 250) {
      throw new IllegalArgumentException("reconnectMaxMillis must be at least 250, got " + reconnectMaxMillis);
    }
    this.reconnectMaxMillis = reconnectMaxMillis;
    return this;
  }

  public long getServerTimeoutMillis() {
    return serverTimeoutMillis;
  }

  /**
   * How long the server may send nothing, not even a pong to this worker's pings (one every quarter of this),
   * before the worker takes the connection for dead and reconnects (default 10 s): a server whose machine or
   * network went away is found within this time instead of the operating system's minutes.
   */
  public WorkerOptions setServerTimeoutMillis(long serverTimeoutMillis) {
    if (serverTimeoutMillis < 100) {
      throw new IllegalArgumentException("serverTimeoutMillis must be at least 100 ms, got " + serverTimeoutMillis);
    }
    this.serverTimeoutMillis = serverTimeoutMillis;
    return this;
  }

  public String getTrustCertFile() {
    return trustCertFile;
  }

  /**
   * For a {@code wss://} server: a PEM file with the certificate to trust (the server's own self-signed
   * certificate, or the CA that signed it) instead of the JVM's default trust store. null: the default store.
   *
   * @throws IllegalArgumentException if the file cannot be read, or {@link #setTrustAll trustAll} is on
   */
  public WorkerOptions setTrustCertFile(String trustCertFile) {
    new ClientTls(trustCertFile, trustAll);
    this.trustCertFile = trustCertFile;
    return this;
  }

  public boolean isTrustAll() {
    return trustAll;
  }

  /**
   * INSECURE, for tests with throw-away certificates only: accept any certificate from a {@code wss://} server,
   * so anyone on the network path could pose as it and send this worker code to run. Every connection logs a
   * warning. Default off.
   */
  public WorkerOptions setTrustAll(boolean trustAll) {
    new ClientTls(trustCertFile, trustAll);
    this.trustAll = trustAll;
    return this;
  }

  /** How this worker checks a {@code wss://} server's certificate. */
  public ClientTls tls() {
    return new ClientTls(trustCertFile, trustAll);
  }

  public boolean isMaskFrames() {
    return maskFrames;
  }

  /**
   * Whether this worker masks the WebSocket frames it sends from the start, as RFC 6455 asks of a client
   * (default off: an AntPool server accepts unmasked frames, and masking costs the worker a pass over every byte
   * it sends, about half its CPU for a large result). Turn it on when a proxy between this worker and a
   * {@code ws://} server reads WebSocket frames and refuses unmasked ones; without it the worker finds that out
   * on its first attempt (its connection closed with 1002, or dropped, before the server's welcome) and masks
   * from then on by itself. Not used by event-bus workers.
   */
  public WorkerOptions setMaskFrames(boolean maskFrames) {
    this.maskFrames = maskFrames;
    return this;
  }

  public long getDrainTimeoutMillis() {
    return drainTimeoutMillis;
  }

  /**
   * How long a worker stopping gracefully (SIGTERM, Ctrl-C, its verticle undeployed) waits for the task its
   * slot runs before it leaves anyway (default 20 s; the launchers give Vert.x 30 s to close). A task still
   * running then runs again on another worker.
   */
  public WorkerOptions setDrainTimeoutMillis(long drainTimeoutMillis) {
    if (drainTimeoutMillis < 0) {
      throw new IllegalArgumentException("drainTimeoutMillis must be 0 or positive, got " + drainTimeoutMillis);
    }
    this.drainTimeoutMillis = drainTimeoutMillis;
    return this;
  }
}
