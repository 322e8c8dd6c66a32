package io.antpool.client;

import io.antpool.config.Tags;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ServerAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of an AntPool task client: plain data with fluent setters. The seed's positional knobs
 * ({@code url, maxWorkers, rtype, user, password}) are here, plus the rest.
 */
public final class AntPoolOptions {
  private String url = "ws://127.0.0.1:" + Protocol.DEFAULT_PORT;
  private int maxWorkers = 8;
  private int rtype;
  private String user;
  private String password;
  private String token;
  private long connectTimeoutMillis = 30_000;
  private String name;
  private Map<String, String> requiredTags = Map.of();
  private boolean spread;
  private long taskTimeoutMillis;
  private int maxPending = DEFAULT_MAX_PENDING;
  private long serverTimeoutMillis = 10_000;
  private String trustCertFile;
  private boolean trustAll;

  /** The default of {@link #setMaxPending}. */
  public static final int DEFAULT_MAX_PENDING = 100_000;

  public AntPoolOptions() {
  }

  public AntPoolOptions(AntPoolOptions other) {
    this.url = other.url;
    this.maxWorkers = other.maxWorkers;
    this.rtype = other.rtype;
    this.user = other.user;
    this.password = other.password;
    this.token = other.token;
    this.connectTimeoutMillis = other.connectTimeoutMillis;
    this.name = other.name;
    this.taskTimeoutMillis = other.taskTimeoutMillis;
    this.maxPending = other.maxPending;
    this.serverTimeoutMillis = other.serverTimeoutMillis;
    this.requiredTags = other.requiredTags;
    this.spread = other.spread;
    this.trustCertFile = other.trustCertFile;
    this.trustAll = other.trustAll;
  }

  public String getUrl() {
    return url;
  }

  /**
   * The server: {@code ws://host:port} (or {@code wss://}); {@code host:port} and {@code host} are accepted too.
   *
   * @throws IllegalArgumentException with an example when the address cannot be a server address
   */
  public AntPoolOptions setUrl(String url) {
    serverUri(url);
    this.url = url;
    return this;
  }

  /** The server address as a {@code ws}/{@code wss} URI with an explicit port. */
  public URI serverUri() {
    return serverUri(url);
  }

  private static URI serverUri(String address) {
    return ServerAddress.parse(address);
  }

  public int getMaxWorkers() {
    return maxWorkers;
  }

  /**
   * How many tasks may be in flight to the server at once (default 8); more wait in the client, up to
   * {@link #setMaxPending maxPending}.
   */
  public AntPoolOptions setMaxWorkers(int maxWorkers) {
    if (maxWorkers < 1) {
      throw new IllegalArgumentException("maxWorkers must be at least 1, got " + maxWorkers);
    }
    this.maxWorkers = maxWorkers;
    return this;
  }

  public int getRtype() {
    return rtype;
  }

  /**
   * Isolation mode: 0 (default) a fresh class loader on the worker before every task, so static state never
   * leaks between tasks; 1 the loader is dropped after the task; 2 one loader per client session, kept across
   * tasks (fastest; statics persist).
   */
  public AntPoolOptions setRtype(int rtype) {
    if (rtype < 0 || rtype > 2) {
      throw new IllegalArgumentException("rtype " + rtype + " is not an isolation mode; use 0, 1 or 2");
    }
    this.rtype = rtype;
    return this;
  }

  public String getUser() {
    return user;
  }

  /** User name for servers that require one (the seed's {@code user}). */
  public AntPoolOptions setUser(String user) {
    this.user = user;
    return this;
  }

  public String getPassword() {
    return password;
  }

  /**
   * Password of {@link #setUser user} on a server in {@code users} mode (the seed's {@code pwd}); on a server in
   * {@code token} mode the token may be given here too. Never logged.
   */
  public AntPoolOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public String getToken() {
    return token;
  }

  /**
   * The server's token (mode {@code token}). Without it the client uses the environment variable
   * {@code ANTPOOL_TOKEN}, else the token file the server wrote on this machine ({@code ~/.antpool/token}), so a
   * client on the server's machine needs none. A {@link #setPassword password} given goes first. Never logged.
   */
  public AntPoolOptions setToken(String token) {
    this.token = token;
    return this;
  }

  public long getConnectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /**
   * How long the client keeps trying to reach the server before failing the tasks that wait for it with
   * {@code CONNECTION_LOST}.
   */
  public AntPoolOptions setConnectTimeoutMillis(long connectTimeoutMillis) {
    if (connectTimeoutMillis < 1) {
      throw new IllegalArgumentException("connectTimeoutMillis must be positive, got " + connectTimeoutMillis);
    }
    this.connectTimeoutMillis = connectTimeoutMillis;
    return this;
  }

  public String getName() {
    return name;
  }

  /** A name shown for this client on the dashboard; default host/pid. */
  public AntPoolOptions setName(String name) {
    this.name = name;
    return this;
  }

  public long getTaskTimeoutMillis() {
    return taskTimeoutMillis;
  }

  /**
   * How long each task may run on its worker, counted from when it starts there (not while it waits in a
   * queue); 0, the default, for no limit. At the deadline the worker interrupts the task, and its future fails
   * with an {@code ExecutionException} whose cause is a {@link java.util.concurrent.TimeoutException}, whatever
   * the task then returns. A task that ignores interruption keeps its worker until it ends; its future then
   * fails the same way.
   *
   * @throws IllegalArgumentException if negative
   */
  public AntPoolOptions setTaskTimeoutMillis(long taskTimeoutMillis) {
    if (taskTimeoutMillis < 0) {
      throw new IllegalArgumentException("taskTimeoutMillis must be 0 (no timeout) or positive, got "
          + taskTimeoutMillis);
    }
    this.taskTimeoutMillis = taskTimeoutMillis;
    return this;
  }

  public long getServerTimeoutMillis() {
    return serverTimeoutMillis;
  }

  /**
   * How long the server may send nothing, not even a pong to this client's pings (one every quarter of this),
   * before the client takes the connection for dead, reconnects and sends again what has no result (default
   * 10 s).
   *
   * @throws IllegalArgumentException if below 100 ms
   */
  public AntPoolOptions setServerTimeoutMillis(long serverTimeoutMillis) {
    if (serverTimeoutMillis < 100) {
      throw new IllegalArgumentException("serverTimeoutMillis must be at least 100 ms, got " + serverTimeoutMillis);
    }
    this.serverTimeoutMillis = serverTimeoutMillis;
    return this;
  }

  public int getMaxPending() {
    return maxPending;
  }

  /**
   * How many tasks one client may hold that have not completed yet, waiting in this JVM or in flight (default
   * {@value #DEFAULT_MAX_PENDING}): the bound on the memory tasks take here. When it is reached,
   * {@link AntPoolExecutor}'s {@code submit} blocks until a task completes (as a bounded queue's {@code put}
   * would), and the reactive {@link AntPoolClient}, which must not block an event loop, fails the new task's
   * future at once with a {@link java.util.concurrent.RejectedExecutionException}.
   *
   * @throws IllegalArgumentException if less than 1
   */
  public AntPoolOptions setMaxPending(int maxPending) {
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
    }
    this.maxPending = maxPending;
    return this;
  }

  public Map<String, String> getRequiredTags() {
    return requiredTags;
  }

  /**
   * Tags a worker must carry to run any task of this executor or client (see {@link Tags}; a bare tag has the
   * empty string as value). A task whose tags no connected worker carries waits in the server's queue until one
   * joins; it does not hold up other tasks. {@link TaskOptions} adds requirements per task. Default: none.
   */
  public AntPoolOptions setRequiredTags(Map<String, String> requiredTags) {
    this.requiredTags = Map.copyOf(requiredTags);
    return this;
  }

  /** Adds required tags written {@code key=value} or {@code key}, as on the worker's command line. */
  public AntPoolOptions requireTags(String... tags) {
    Map<String, String> all = new LinkedHashMap<>(requiredTags);
    all.putAll(Tags.parseAll(Arrays.asList(tags)));
    this.requiredTags = Map.copyOf(all);
    return this;
  }

  public boolean isSpread() {
    return spread;
  }

  /**
   * Spread this client's tasks over hosts: each task goes, among the free slots it may use, to one on the host
   * (remote IP address as the server sees it) that runs the fewest of this client's tasks at that moment, for
   * crawling from as many addresses as are available. Best effort: it chooses among the slots free when the
   * task is dispatched, never waits for a better one, and ranks speed below spreading. What it guarantees: a
   * task never goes to a host already running k of this client's tasks while a host running fewer has a free
   * slot the task may use; so with H hosts, their slots free, and at least H tasks submitted, every host gets
   * one before any gets a second. Default: off (fastest free slot first).
   */
  public AntPoolOptions setSpread(boolean spread) {
    this.spread = spread;
    return this;
  }

  public String getTrustCertFile() {
    return trustCertFile;
  }

  /**
   * For a {@code wss://} server: a PEM file with the certificate to trust (the server's own self-signed
   * certificate, or the CA that signed it) instead of the JVM's default trust store. A server whose certificate
   * it does not vouch for is refused: tasks fail at once with {@code TLS_FAILED}. null: the default trust store.
   *
   * @throws IllegalArgumentException if the file cannot be read, or {@link #setTrustAll trustAll} is on
   */
  public AntPoolOptions setTrustCertFile(String trustCertFile) {
    new ClientTls(trustCertFile, trustAll);
    this.trustCertFile = trustCertFile;
    return this;
  }

  public boolean isTrustAll() {
    return trustAll;
  }

  /**
   * INSECURE, for tests with throw-away certificates only: accept any certificate from a {@code wss://} server,
   * so anyone on the network path could pose as it and receive the tasks. Every connection logs a warning.
   * Default off.
   *
   * @throws IllegalArgumentException if a {@link #setTrustCertFile trustCertFile} is set
   */
  public AntPoolOptions setTrustAll(boolean trustAll) {
    new ClientTls(trustCertFile, trustAll);
    this.trustAll = trustAll;
    return this;
  }

  /** How this client checks a {@code wss://} server's certificate. */
  public ClientTls tls() {
    return new ClientTls(trustCertFile, trustAll);
  }

  @Override
  public String toString() {
    return "AntPoolOptions{url=" + url + ", maxWorkers=" + maxWorkers + ", rtype=" + rtype
        + (taskTimeoutMillis == 0 ? "" : ", taskTimeoutMillis=" + taskTimeoutMillis)
        + (user == null ? "" : ", user=" + user)
        + (requiredTags.isEmpty() ? "" : ", requiredTags=[" + Tags.format(requiredTags) + "]")
        + (spread ? ", spread" : "") + (trustCertFile == null ? "" : ", trustCertFile=" + trustCertFile)
        + (trustAll ? ", trustAll (INSECURE)" : "") + "}";
  }
}
