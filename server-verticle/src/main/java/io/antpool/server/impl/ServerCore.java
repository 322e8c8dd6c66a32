package io.antpool.server.impl;

import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.impl.FrameCodec;
import io.antpool.server.ServerOptions;
import io.antpool.server.impl.auth.AdminGuard;
import io.antpool.server.impl.auth.Gatekeeper;
import io.antpool.server.impl.auth.JoinBanner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the server's parts together and owns the HTTP server. Created by {@code ServerVerticle}. */
public final class ServerCore {
  private static final Logger log = LoggerFactory.getLogger(ServerCore.class);

  /** How often the cluster's member list is compared with the clustered worker slots. */
  private static final long CLUSTER_CHECK_MILLIS = 1_000;

  private final Vertx vertx;
  private final ServerOptions options;
  private final ServerStats stats = new ServerStats();
  /** Everything that watches the pool; the stats first, so they are current when the others look. */
  private final PoolListeners events = new PoolListeners().add(stats);
  private final Scheduler scheduler;
  private final FetchBroker fetches;
  private final ClientSessions sessions;
  /** Made in {@link #start()}, once the gatekeeper has read its files. */
  private ServerContext context;
  private final long startedAt = System.currentTimeMillis();
  private final DashboardApi dashboard;
  private final PoolSummary summary;
  private final UpgradeGate gate;
  private final SessionEndFanout sessionEnds;
  private HttpServer http;
  private ClusterWatch clusterWatch;
  private MetricsRegistry metrics;
  private PoolMeters meters;

  public ServerCore(Vertx vertx, ServerOptions options) {
    this(vertx, options, PoolSummary.PERIOD);
  }

  /** A server that logs its summary line every {@code summaryPeriod} instead of every minute. */
  public ServerCore(Vertx vertx, ServerOptions options, Duration summaryPeriod) {
    this.vertx = vertx;
    this.options = options;
    this.scheduler = new Scheduler(vertx, options.getMaxAttempts(), options.getAckTimeoutMillis(),
        options.getMaxQueuedPerClient(), options.getPrefetch(), events);
    this.fetches = new FetchBroker(vertx, scheduler, options.getFetchTimeoutMillis(), stats);
    this.sessions = new ClientSessions(vertx, scheduler, fetches, options.getClientGraceMillis(),
        options.getMaxFrameBytes());
    this.dashboard = new DashboardApi(vertx, scheduler, stats, events, startedAt);
    this.summary = new PoolSummary(scheduler, stats, summaryPeriod);
    events.add(summary);
    this.gate = new UpgradeGate(options);
    this.sessionEnds = new SessionEndFanout(vertx.eventBus());
  }

  /** Starts the bus gateway and the HTTP server; the future carries the port actually bound. */
  public Future<Integer> start() {
    if (options.isSsl()) {
      try {
        ServerTls.requireFiles(options);
      } catch (IllegalStateException e) {
        return Future.failedFuture(e);
      }
    }
    // before any peer can connect, so the meters see every event
    metrics = MetricsRegistry.of(vertx);
    meters = new PoolMeters(metrics.registry(), scheduler, stats);
    events.add(meters);
    HttpServerOptions httpOptions = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setWebSocketSubProtocols(List.of(Protocol.SUBPROTOCOL))
        // HTTP answers (the dashboard's JSON, its live feed) are gzipped for clients that accept it: a status
        // report of 1,000 workers is 400 KB of very repetitive JSON; level 1 costs the least CPU per page
        .setCompressionSupported(true)
        .setCompressionLevel(1)
        // no HTTP/2 upgrade on plain HTTP (h2c): the JDK's HttpClient asks for it by default, and through it
        // Vert.x 5.0.7 now and then never completes an answer over about 16 KiB; HTTP/1.1 serves everything here
        .setHttp2ClearTextEnabled(false)
        // Netty refuses a single WebSocket frame over this with close 1009; whole messages are limited (and
        // assembled) by PeerConnection, but Vert.x's own limit says the same in case anything aggregates
        .setMaxWebSocketFrameSize(Math.min(1024 * 1024, options.getMaxFrameBytes()))
        .setMaxWebSocketMessageSize(options.getMaxFrameBytes())
        // workers send their frames unmasked by default (WorkerOptions.maskFrames): masking is there for proxies
        // that read WebSocket traffic as HTTP, and costs a worker a pass over every byte of a result; browsers,
        // task clients and Python clients mask theirs, which is accepted all the same
        .setAcceptUnmaskedFrames(true);
    if (options.isSsl()) {
      httpOptions.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setKeyPath(options.getSslKey())
          .setCertPath(options.getSslCert()));
    }
    return vertx.executeBlocking(() -> {
      // so the first peers do not wait for Jackson's first-use work, nor the first class fetches for the JIT
      FrameCodec.warmUp(300);
      return Gatekeeper.create(vertx, options); // reads or makes the token file, reads the users file
    }).compose(gate -> {
      context = new ServerContext(vertx, vertx.eventBus(), scheduler, fetches, sessions, stats, events, options,
          gate, sessionEnds);
      http = vertx.createHttpServer(httpOptions);
      http.requestHandler(router());
      return sessionEnds.start().compose(v -> new BusGateway(context).start());
    })
        .onSuccess(v -> {
          clusterWatch = new ClusterWatch(vertx, scheduler);
          clusterWatch.start(CLUSTER_CHECK_MILLIS);
          dashboard.start();
        })
        .compose(v -> http.listen())
        .map(HttpServer::actualPort)
        .onSuccess(port -> {
          log.info("AntPool server {} listening on {}:{}; /metrics serves AntPool's and the JVM's metrics{}",
              Protocol.ANTPOOL_VERSION, options.getHost(), port, metrics.withVertxMetrics() ? " and Vert.x's" : "");
          summary.start(vertx);
        })
        .onFailure(e -> closeMetrics())
        .recover(e -> e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException
            ? Future.failedFuture(e) // the configuration of authentication: its message says what to do
            : Future.failedFuture(new IllegalStateException("the AntPool server cannot listen on "
            + options.getHost() + ":" + options.getPort() + " (" + e.getMessage() + "); "
            + (options.isSsl() ? "are " + options.getSslKey() + " and " + options.getSslCert() + " a PEM private"
            + " key and the PEM certificate that goes with it? Or is another server running there? " : "is"
            + " another server running there? ")
            + "Choose another port with --port or \"port\" in server.json", e)));
  }

  private Router router() {
    Router router = Router.router(vertx);
    // before every route it guards; /health and /ready stay open to all, as orchestrators probe them
    AdminGuard guard = new AdminGuard(context.gate());
    router.route("/antadmin*").handler(guard);
    router.route("/metrics").handler(guard);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")
        .put("workers", scheduler.slots().size()).put("clients", scheduler.clients().size())
        .put("heap", HeapFigures.now())));
    dashboard.mount(router);
    router.get("/ready").handler(ctx -> {
      Readiness readiness = Readiness.of(scheduler.slots(), options.getReadyMinWorkers());
      ctx.response().setStatusCode(readiness.ready() ? 200 : 503);
      ctx.json(readiness.body());
    });
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get("/antadmin").handler(ctx -> {
      // Vert.x Web matches "/antadmin/" here too; only the bare path is redirected, so relative links work
      if (ctx.request().path().equals("/antadmin")) {
        ctx.redirect("/antadmin/");
      } else {
        ctx.next();
      }
    });
    router.get("/antadmin/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    router.route(Protocol.WS_PATH).handler(ctx -> {
      if (!gate.admit(ctx.request())) {
        return;
      }
      ctx.request().toWebSocket().onSuccess(ws -> {
        if (Protocol.SUBPROTOCOL.equals(ws.subProtocol())) {
          new PeerConnection(ws, context).start(gate::closed);
        } else {
          new V1Connection(ws, context).start(gate::closed); // no antpool.v2: the original Python protocol
        }
      }).onFailure(e -> {
        gate.closed();
        log.debug("WebSocket upgrade failed: {}", e.toString());
      });
    });
    return router;
  }

  public int port() {
    return http.actualPort();
  }

  /** The scheme of this server's WebSocket URL: {@code wss} with TLS, else {@code ws}. */
  public String wsScheme() {
    return options.isSsl() ? "wss" : "ws";
  }

  /** What to print on standard output about joining this server (see {@link JoinBanner}), once started. */
  public List<String> joinBanner() {
    return JoinBanner.lines(context.gate(), displayHost(options.getHost()), port());
  }

  /**
   * Stops listening and closes every connection within a second: peers reconnect by themselves, so there is
   * nothing to gain from Vert.x's default 30 s graceful wait.
   */
  public Future<Void> stop() {
    if (clusterWatch != null) {
      clusterWatch.stop();
    }
    dashboard.stop();
    summary.stop(vertx);
    sessionEnds.stop();
    Future<Void> closed = http == null ? Future.succeededFuture() : http.shutdown(1, TimeUnit.SECONDS);
    return closed.andThen(ar -> closeMetrics());
  }

  private void closeMetrics() {
    if (meters != null) {
      meters.close();
      metrics.close();
      meters = null;
    }
  }

  /** The host to print in the ready line: a wildcard bind is shown as this machine's first IPv4 address. */
  public static String displayHost(String bindHost) {
    if (!"0.0.0.0".equals(bindHost) && !"::".equals(bindHost)) {
      return bindHost;
    }
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nic.isUp() && !nic.isLoopback()) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            if (a instanceof Inet4Address) {
              return a.getHostAddress();
            }
          }
        }
      }
    } catch (SocketException e) {
      // fall through to loopback
    }
    return "127.0.0.1";
  }
}
