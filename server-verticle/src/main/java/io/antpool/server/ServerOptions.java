package io.antpool.server;

import io.antpool.config.OptionsJson;
import io.antpool.protocol.Protocol;
import io.antpool.server.impl.Origins;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Configuration of the AntPool server: plain data with fluent setters and JSON round-tripping
 * ({@code conf/server.json} holds the same keys).
 */
public final class ServerOptions {
  static final Set<String> KEYS = Set.of("host", "port", "maxAttempts", "ackTimeoutMillis", "fetchTimeoutMillis",
      "peerTimeoutMillis", "clientGraceMillis", "helloTimeoutMillis", "writeStallTimeoutMillis", "maxFrameBytes",
      "legacyPingMillis", "readyMinWorkers", "logDir", "verbose", "ssl", "sslKey", "sslCert", "allowedOrigins",
      "maxConnections", "maxQueuedPerClient", "auth", "tokenFile", "usersFile", "allowUnauthenticatedPublicBind",
      "trustedNetworks", "prefetch");
  /** The default of {@link #setTrustedNetworks}: loopback only. */
  public static final List<String> LOOPBACK_NETWORKS = List.of("127.0.0.0/8", "::1/128");
  /** The smallest {@code maxFrameBytes}: a hello, a welcome and an error reply must always fit. */
  static final int MIN_FRAME_BYTES = 64 * 1024;

  /** The default of {@link #setPrefetch}. */
  public static final int DEFAULT_PREFETCH = 16;

  private String host = "0.0.0.0";
  private int port = Protocol.DEFAULT_PORT;
  private int maxAttempts = 3;
  private int prefetch = DEFAULT_PREFETCH;
  private long ackTimeoutMillis = 30_000;
  private long fetchTimeoutMillis = 60_000;
  private long peerTimeoutMillis = 10_000;
  private long clientGraceMillis = 30_000;
  private long helloTimeoutMillis = 10_000;
  private long writeStallTimeoutMillis = 30_000;
  private int maxFrameBytes = Protocol.DEFAULT_MAX_FRAME_BYTES;
  private long legacyPingMillis = 60_000;
  private int readyMinWorkers = 1;
  private String logDir = ".";
  private boolean verbose;
  private boolean ssl;
  private String sslKey = "privkey.key";
  private String sslCert = "cacert.csr";
  private List<String> allowedOrigins = List.of();
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxQueuedPerClient = DEFAULT_MAX_QUEUED_PER_CLIENT;

  /** The default of {@link #setMaxConnections}: room for 10,000 workers and 100 clients, and then some. */
  public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
  /** The default of {@link #setMaxQueuedPerClient}: twice a client's default {@code maxPending}. */
  public static final int DEFAULT_MAX_QUEUED_PER_CLIENT = 200_000;
  private AuthMode auth = AuthMode.TOKEN;
  private String tokenFile;
  private String usersFile;
  private boolean allowUnauthenticatedPublicBind;
  private List<String> trustedNetworks = LOOPBACK_NETWORKS;

  public ServerOptions() {
  }

  /**
   * Reads options from JSON; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException naming the key and what is expected, for unknown keys and bad values
   */
  public static ServerOptions fromJson(JsonObject json) {
    OptionsJson.requireKnownKeys(json, KEYS, "server");
    ServerOptions o = new ServerOptions();
    o.setHost(OptionsJson.stringValue(json, "host", o.host));
    o.setPort(OptionsJson.intValue(json, "port", o.port));
    o.setMaxAttempts(OptionsJson.intValue(json, "maxAttempts", o.maxAttempts));
    o.setAckTimeoutMillis(OptionsJson.longValue(json, "ackTimeoutMillis", o.ackTimeoutMillis));
    o.setPrefetch(OptionsJson.intValue(json, "prefetch", o.prefetch));
    o.setFetchTimeoutMillis(OptionsJson.longValue(json, "fetchTimeoutMillis", o.fetchTimeoutMillis));
    o.setPeerTimeoutMillis(OptionsJson.longValue(json, "peerTimeoutMillis", o.peerTimeoutMillis));
    o.setClientGraceMillis(OptionsJson.longValue(json, "clientGraceMillis", o.clientGraceMillis));
    o.setHelloTimeoutMillis(OptionsJson.longValue(json, "helloTimeoutMillis", o.helloTimeoutMillis));
    o.setWriteStallTimeoutMillis(OptionsJson.longValue(json, "writeStallTimeoutMillis", o.writeStallTimeoutMillis));
    o.setMaxFrameBytes(OptionsJson.intValue(json, "maxFrameBytes", o.maxFrameBytes));
    o.setLegacyPingMillis(OptionsJson.longValue(json, "legacyPingMillis", o.legacyPingMillis));
    o.setReadyMinWorkers(OptionsJson.intValue(json, "readyMinWorkers", o.readyMinWorkers));
    o.setLogDir(OptionsJson.stringValue(json, "logDir", o.logDir));
    o.setVerbose(OptionsJson.booleanValue(json, "verbose", o.verbose));
    o.setSsl(OptionsJson.booleanValue(json, "ssl", o.ssl));
    o.setSslKey(OptionsJson.stringValue(json, "sslKey", o.sslKey));
    o.setSslCert(OptionsJson.stringValue(json, "sslCert", o.sslCert));
    o.setAllowedOrigins(stringList(json, "allowedOrigins", o.allowedOrigins));
    o.setMaxConnections(OptionsJson.intValue(json, "maxConnections", o.maxConnections));
    o.setMaxQueuedPerClient(OptionsJson.intValue(json, "maxQueuedPerClient", o.maxQueuedPerClient));
    o.setAuth(AuthMode.parse(OptionsJson.stringValue(json, "auth", o.auth.name().toLowerCase(Locale.ROOT))));
    o.setTokenFile(OptionsJson.stringValue(json, "tokenFile", o.tokenFile));
    o.setUsersFile(OptionsJson.stringValue(json, "usersFile", o.usersFile));
    o.setAllowUnauthenticatedPublicBind(OptionsJson.booleanValue(json, "allowUnauthenticatedPublicBind",
        o.allowUnauthenticatedPublicBind));
    o.setTrustedNetworks(stringList(json, "trustedNetworks", o.trustedNetworks));
    return o;
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("maxAttempts", maxAttempts)
        .put("ackTimeoutMillis", ackTimeoutMillis).put("prefetch", prefetch).put("fetchTimeoutMillis", fetchTimeoutMillis)
        .put("peerTimeoutMillis", peerTimeoutMillis).put("clientGraceMillis", clientGraceMillis)
        .put("helloTimeoutMillis", helloTimeoutMillis)
        .put("writeStallTimeoutMillis", writeStallTimeoutMillis).put("maxFrameBytes", maxFrameBytes)
        .put("legacyPingMillis", legacyPingMillis).put("readyMinWorkers", readyMinWorkers).put("logDir", logDir)
        .put("verbose", verbose).put("ssl", ssl).put("sslKey", sslKey).put("sslCert", sslCert)
        .put("allowedOrigins", new JsonArray(allowedOrigins)).put("maxConnections", maxConnections)
        .put("maxQueuedPerClient", maxQueuedPerClient)
        .put("auth", auth.name().toLowerCase(Locale.ROOT)).put("tokenFile", tokenFile)
        .put("usersFile", usersFile).put("allowUnauthenticatedPublicBind", allowUnauthenticatedPublicBind)
        .put("trustedNetworks", new JsonArray(trustedNetworks));
  }

  private static List<String> stringList(JsonObject json, String key, List<String> fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
      return array.stream().map(String.class::cast).toList();
    }
    throw new IllegalArgumentException("option \"" + key + "\" must be a list of strings, e.g. [\"127.0.0.0/8\","
        + " \"::1/128\", \"10.1.0.0/16\"]; got " + value);
  }

  public String getHost() {
    return host;
  }

  public ServerOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must be an address to bind, e.g. 0.0.0.0 or 127.0.0.1");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The port to listen on; 0 picks a free one (the server prints which). */
  public ServerOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 0..65535 (0 picks a free port)");
    }
    this.port = port;
    return this;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  /** How many workers a task may be lost with before it fails with WorkerLostException. */
  public ServerOptions setMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    return this;
  }

  public int getPrefetch() {
    return prefetch;
  }

  /**
   * How many tasks a worker slot may hold at once (default {@value #DEFAULT_PREFETCH}): the one it runs and up to
   * {@code prefetch - 1} waiting on the worker behind it. Above 1, a slot whose last task took under
   * {@value io.antpool.server.impl.Scheduler#QUICK_MILLIS} ms is sent more while it works, so a pool of many tiny
   * tasks no longer waits a network round trip between two of them; a slot whose tasks take longer holds one.
   * What a slot holds unstarted is not lost to the rest of the pool: the server takes it back (a recall) for a
   * slot that is free while the task ahead of it runs long, for {@code shutdownNow()}, which returns it as
   * never started, and when the slot's worker stops. 1 sends a slot its next task only once it answered the
   * last one. Python (v1) workers always hold one.
   */
  public ServerOptions setPrefetch(int prefetch) {
    if (prefetch < 1 || prefetch > 1024) {
      throw new IllegalArgumentException("prefetch must be 1..1024 (tasks a worker slot may hold at once; 1 sends"
          + " the next task only after the last one's result), got " + prefetch);
    }
    this.prefetch = prefetch;
    return this;
  }

  public long getAckTimeoutMillis() {
    return ackTimeoutMillis;
  }

  /**
   * How long an event-bus worker slot (embedded or clustered) may take to accept a dispatched task before it is
   * considered gone. A WebSocket worker acknowledges nothing: one that does not read what it is sent is closed
   * after {@code writeStallTimeoutMillis}.
   */
  public ServerOptions setAckTimeoutMillis(long ackTimeoutMillis) {
    if (ackTimeoutMillis < 1) {
      throw new IllegalArgumentException("ackTimeoutMillis must be positive, got " + ackTimeoutMillis);
    }
    this.ackTimeoutMillis = ackTimeoutMillis;
    return this;
  }

  public long getFetchTimeoutMillis() {
    return fetchTimeoutMillis;
  }

  /** How long a client may take to answer a worker's request for a class. */
  public ServerOptions setFetchTimeoutMillis(long fetchTimeoutMillis) {
    if (fetchTimeoutMillis < 1) {
      throw new IllegalArgumentException("fetchTimeoutMillis must be positive, got " + fetchTimeoutMillis);
    }
    this.fetchTimeoutMillis = fetchTimeoutMillis;
    return this;
  }

  public long getPeerTimeoutMillis() {
    return peerTimeoutMillis;
  }

  /**
   * How long a worker or client may send nothing, not even a pong to the server's pings (one every quarter of
   * this), before its connection is closed as dead and a worker's task runs again elsewhere (default 10 s). Its
   * event loop answers pings while its tasks compute, so a long task never counts as silence.
   */
  public ServerOptions setPeerTimeoutMillis(long peerTimeoutMillis) {
    if (peerTimeoutMillis < 100) {
      throw new IllegalArgumentException("peerTimeoutMillis must be at least 100 ms, got " + peerTimeoutMillis);
    }
    this.peerTimeoutMillis = peerTimeoutMillis;
    return this;
  }

  public long getClientGraceMillis() {
    return clientGraceMillis;
  }

  /**
   * How long the server keeps the session of a client whose connection dropped (default 30 s). Meanwhile its
   * tasks go on running and queued ones are dispatched, and their results are held; a client that reconnects
   * within this time resumes the session and receives them. After it, the session ends: its queued tasks are
   * dropped and its running ones interrupted. 0 ends the session as soon as the connection drops.
   */
  public ServerOptions setClientGraceMillis(long clientGraceMillis) {
    if (clientGraceMillis < 0) {
      throw new IllegalArgumentException("clientGraceMillis must be 0 (no grace period) or more, got "
          + clientGraceMillis);
    }
    this.clientGraceMillis = clientGraceMillis;
    return this;
  }

  public long getHelloTimeoutMillis() {
    return helloTimeoutMillis;
  }

  /**
   * How long a new connection may go without sending its hello before it is closed (code 4001; default 10 s),
   * so sockets that connect and say nothing do not hold server resources.
   */
  public ServerOptions setHelloTimeoutMillis(long helloTimeoutMillis) {
    if (helloTimeoutMillis < 100) {
      throw new IllegalArgumentException("helloTimeoutMillis must be at least 100 ms, got " + helloTimeoutMillis);
    }
    this.helloTimeoutMillis = helloTimeoutMillis;
    return this;
  }

  public long getWriteStallTimeoutMillis() {
    return writeStallTimeoutMillis;
  }

  /**
   * How long a peer's write queue may stay full (the peer does not read what the server sends it, or reads far
   * slower than the server produces) before its connection is closed (code 4002; default 30 s). While the
   * queue is full the server stops reading from that peer, so it cannot make the server buffer more.
   */
  public ServerOptions setWriteStallTimeoutMillis(long writeStallTimeoutMillis) {
    if (writeStallTimeoutMillis < 100) {
      throw new IllegalArgumentException("writeStallTimeoutMillis must be at least 100 ms, got "
          + writeStallTimeoutMillis);
    }
    this.writeStallTimeoutMillis = writeStallTimeoutMillis;
    return this;
  }

  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  /**
   * The largest message a peer may send, header and payload together (default 64 MiB): a larger one is never
   * buffered; its connection is closed with code 1009. Tasks and results larger than this cannot pass.
   */
  public ServerOptions setMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_FRAME_BYTES || maxFrameBytes > Protocol.MAX_FRAME_BYTES) {
      throw new IllegalArgumentException("maxFrameBytes must be between " + MIN_FRAME_BYTES + " and "
          + Protocol.MAX_FRAME_BYTES + " (256 MiB), got " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  public long getLegacyPingMillis() {
    return legacyPingMillis;
  }

  /**
   * How often an idle resource client of the original Python protocol (v1) is sent {@code PING} (default 60 s,
   * as the original does); one that has not answered the previous {@code PING} by the next is closed, and a
   * busy one is not pinged (it cannot answer while its code runs).
   */
  public ServerOptions setLegacyPingMillis(long legacyPingMillis) {
    if (legacyPingMillis < 100) {
      throw new IllegalArgumentException("legacyPingMillis must be at least 100 ms, got " + legacyPingMillis);
    }
    this.legacyPingMillis = legacyPingMillis;
    return this;
  }

  public int getReadyMinWorkers() {
    return readyMinWorkers;
  }

  /**
   * How many worker slots must be connected for {@code GET /ready} to answer 200 (default 1); with fewer it
   * answers 503, so a load balancer or an orchestrator sends no clients to a pool that cannot run their tasks.
   * 0: ready as soon as the server listens. Slots of a worker that is stopping gracefully do not count.
   */
  public ServerOptions setReadyMinWorkers(int readyMinWorkers) {
    if (readyMinWorkers < 0) {
      throw new IllegalArgumentException("readyMinWorkers must be 0 (ready as soon as the server listens) or a"
          + " number of worker slots, got " + readyMinWorkers);
    }
    this.readyMinWorkers = readyMinWorkers;
    return this;
  }

  public String getLogDir() {
    return logDir;
  }

  /** Folder of {@code aSrv_log.txt} and {@code aSrv_err.txt} when not verbose. */
  public ServerOptions setLogDir(String logDir) {
    this.logDir = logDir;
    return this;
  }

  public boolean isVerbose() {
    return verbose;
  }

  /** Log to the console instead of files (the seed's {@code /v}). */
  public ServerOptions setVerbose(boolean verbose) {
    this.verbose = verbose;
    return this;
  }

  public boolean isSsl() {
    return ssl;
  }

  /**
   * Serve {@code wss://} and {@code https://} (the seed's {@code /s}) with the PEM key {@link #setSslKey sslKey}
   * and certificate {@link #setSslCert sslCert}. Default off.
   */
  public ServerOptions setSsl(boolean ssl) {
    this.ssl = ssl;
    return this;
  }

  public String getSslKey() {
    return sslKey;
  }

  /** The server's private key, PEM (PKCS#8 or PKCS#1), for {@link #setSsl ssl}; default {@code privkey.key}. */
  public ServerOptions setSslKey(String sslKey) {
    if (sslKey == null || sslKey.isBlank()) {
      throw new IllegalArgumentException("sslKey must be the path of a PEM private key file, e.g. privkey.key");
    }
    this.sslKey = sslKey;
    return this;
  }

  public String getSslCert() {
    return sslCert;
  }

  /**
   * The server's certificate (chain), PEM, for {@link #setSsl ssl}; default {@code cacert.csr} (the seed's name,
   * although it holds a certificate, not a signing request).
   */
  public ServerOptions setSslCert(String sslCert) {
    if (sslCert == null || sslCert.isBlank()) {
      throw new IllegalArgumentException("sslCert must be the path of a PEM certificate file, e.g. cacert.csr");
    }
    this.sslCert = sslCert;
    return this;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Web origins ({@code scheme://host[:port]}) besides the server's own whose pages may open WebSocket
   * connections to {@code /ws}; a browser sends its page's origin with every WebSocket upgrade, and an upgrade
   * from any other origin is refused (403), so a web page the user visits cannot submit code to the workers.
   * Programs that send no {@code Origin} (clients, workers, Python peers) are not affected. Default: none.
   *
   * @throws IllegalArgumentException for an entry that is not an origin
   */
  public ServerOptions setAllowedOrigins(List<String> allowedOrigins) {
    List<String> normalized = new ArrayList<>();
    for (String origin : allowedOrigins) {
      normalized.add(normalizeOrigin(origin));
    }
    this.allowedOrigins = List.copyOf(normalized);
    return this;
  }

  private static String normalizeOrigin(String origin) {
    String normalized = origin == null ? null : Origins.normalize(origin);
    if (normalized == null) {
      throw new IllegalArgumentException("allowedOrigins entry \"" + origin + "\" is not a web origin; write it as"
          + " scheme://host[:port] without a path, e.g. https://pool.example.org or http://localhost:3000");
    }
    return normalized;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  /**
   * How many WebSocket connections (workers' slots, clients, Python peers) the server holds at once (default
   * {@value #DEFAULT_MAX_CONNECTIONS}); an upgrade beyond it is refused with 503 and the reason, so a flood of
   * connections cannot exhaust the server's memory. The operating system's limit on open files must allow as
   * many ({@code ulimit -n}).
   */
  public ServerOptions setMaxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
    }
    this.maxConnections = maxConnections;
    return this;
  }

  public int getMaxQueuedPerClient() {
    return maxQueuedPerClient;
  }

  /**
   * How many tasks of one client (a v2 client session, or a Python client's connection) may wait in the
   * server's queue for a worker (default {@value #DEFAULT_MAX_QUEUED_PER_CLIENT}), so one client cannot fill the
   * server's memory; a task beyond it is refused with {@code QUEUE_FULL} (its future fails) and other clients are
   * not affected. Tasks running on workers do not count.
   */
  public ServerOptions setMaxQueuedPerClient(int maxQueuedPerClient) {
    if (maxQueuedPerClient < 1) {
      throw new IllegalArgumentException("maxQueuedPerClient must be at least 1, got " + maxQueuedPerClient);
    }
    this.maxQueuedPerClient = maxQueuedPerClient;
    return this;
  }

  public AuthMode getAuth() {
    return auth;
  }

  /**
   * Who may connect (default {@link AuthMode#TOKEN}): see {@link AuthMode}. {@code none} on an address other
   * than loopback needs {@link #setAllowUnauthenticatedPublicBind} as well.
   */
  public ServerOptions setAuth(AuthMode auth) {
    if (auth == null) {
      throw new IllegalArgumentException("auth must be token, users or none");
    }
    this.auth = auth;
    return this;
  }

  public String getTokenFile() {
    return tokenFile;
  }

  /**
   * The file holding the server's token in {@code token} mode (null, the default: {@code ~/.antpool/token}, the
   * one clients and workers on this machine read by themselves). Made on first start, readable by this user only.
   */
  public ServerOptions setTokenFile(String tokenFile) {
    this.tokenFile = tokenFile;
    return this;
  }

  public String getUsersFile() {
    return usersFile;
  }

  /**
   * The users file (JSON) of {@code users} mode, required there: names, salted password hashes and roles, as
   * {@code antpool user add} writes them. Read at start.
   */
  public ServerOptions setUsersFile(String usersFile) {
    this.usersFile = usersFile;
    return this;
  }

  public boolean isAllowUnauthenticatedPublicBind() {
    return allowUnauthenticatedPublicBind;
  }

  /**
   * With {@code auth: none}, allow binding an address other than loopback (default false: such a server refuses
   * to start), so that anybody who reaches the port can run code on every worker. Say so only on a network
   * where that is intended.
   */
  public ServerOptions setAllowUnauthenticatedPublicBind(boolean allowUnauthenticatedPublicBind) {
    this.allowUnauthenticatedPublicBind = allowUnauthenticatedPublicBind;
    return this;
  }

  public List<String> getTrustedNetworks() {
    return trustedNetworks;
  }

  /**
   * Networks (CIDRs such as {@code 10.1.0.0/16}, or single addresses) whose requests need no credential for the
   * dashboard, its API and {@code /metrics}, and from which legacy v1 peers are accepted as the original accepts
   * them (default: loopback, {@code 127.0.0.0/8} and {@code ::1/128}). AntPool's own clients and workers always
   * present a credential. An empty list trusts no network.
   */
  public ServerOptions setTrustedNetworks(List<String> trustedNetworks) {
    if (trustedNetworks == null) {
      throw new IllegalArgumentException("trustedNetworks must be a list of CIDRs, e.g. [\"127.0.0.0/8\"]");
    }
    io.antpool.server.impl.auth.Networks.parse(trustedNetworks); // fails here, naming the bad entry
    this.trustedNetworks = List.copyOf(trustedNetworks);
    return this;
  }
}
