package io.antpool.launcher;

import io.antpool.server.ServerMetrics;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * Launcher hooks for {@code vertx run ServerVerticle}: the Vert.x it makes has the metrics the server serves at
 * {@code /metrics} ({@link ServerMetrics}), unless {@code -options} enabled metrics of the user's own choosing.
 */
final class ServerMetricsHooks implements VertxApplicationHooks {
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return ServerMetrics.builder(options);
  }
}
