package io.antpool.server;

import io.antpool.server.impl.ServerCore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;

/**
 * The AntPool server as a verticle: one HTTP port serving the WebSocket endpoint {@code /ws}, {@code /health},
 * {@code /ready}, {@code /metrics} (Prometheus; see {@link ServerMetrics}), the {@code /antadmin} page and its
 * {@code /antadmin/api/status} API, and the scheduler that hands tasks to worker slots over the event bus. It
 * never executes or deserializes tasks.
 *
 * <p>Configuration is {@link ServerOptions} as JSON ({@code -conf conf/server.json}). Deploy exactly one
 * instance per Vert.x: the scheduler's state lives on its event loop. When listening it prints
 * {@code AntPool server listening on ws://HOST:PORT}
 * ({@code wss://} with TLS) on standard output.
 */
public class ServerVerticle extends VerticleBase {
  private final Duration summaryPeriod;
  private ServerCore core;

  public ServerVerticle() {
    this(null);
  }

  /** A server that logs its pool summary every {@code summaryPeriod} (null: every minute), for tests. */
  ServerVerticle(Duration summaryPeriod) {
    this.summaryPeriod = summaryPeriod;
  }

  @Override
  public Future<?> start() {
    ServerOptions options;
    try {
      options = ServerOptions.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    core = summaryPeriod == null ? new ServerCore(vertx, options)
        : new ServerCore(vertx, options, summaryPeriod);
    return core.start().onSuccess(port -> {
      System.out.println("AntPool server listening on " + core.wsScheme() + "://"
          + ServerCore.displayHost(options.getHost()) + ":" + port);
      core.joinBanner().forEach(System.out::println);
    });
  }

  /** The port the server listens on, once started. */
  public int actualPort() {
    return core.port();
  }

  @Override
  public Future<?> stop() {
    return core == null ? Future.succeededFuture() : core.stop();
  }
}
