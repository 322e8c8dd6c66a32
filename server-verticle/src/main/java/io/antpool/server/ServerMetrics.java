package io.antpool.server;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * Vert.x metrics for the Vert.x that runs the {@link ServerVerticle}, so that its {@code /metrics} shows Vert.x's
 * own figures (HTTP server, event bus, worker pools) beside AntPool's and the JVM's.
 *
 * <p>Build the server's Vert.x with {@link #builder(VertxOptions)} (AntPool's launchers do): Vert.x then
 * reports, through Micrometer, to a Prometheus registry named {@value #REGISTRY_NAME}, and the server adds its
 * own meters to that registry and serves it. Deployed in a Vert.x built any other way, the server makes a
 * registry of its own with AntPool's and the JVM's metrics, so {@code /metrics} works everywhere; only the Vert.x
 * figures are missing then. The registry name is per JVM: run one such Vert.x per JVM (a second server that finds
 * the registry taken by a first serves a registry of its own).
 */
public final class ServerMetrics {
  /** The Micrometer registry (see {@code BackendRegistries}) the server looks for its Vert.x's metrics in. */
  public static final String REGISTRY_NAME = "antpool";

  private ServerMetrics() {
  }

  /** Vert.x Micrometer metrics with JVM metrics, reporting to the Prometheus registry {@value #REGISTRY_NAME}. */
  public static MicrometerMetricsOptions options() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY_NAME)
        .setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /**
   * {@code options} with {@link #options()} as metrics options, unless metrics are enabled there already (a
   * configuration the user chose is kept; the server then serves the Prometheus registry it names, if any).
   */
  public static VertxOptions enable(VertxOptions options) {
    if (options.getMetricsOptions() == null || !options.getMetricsOptions().isEnabled()) {
      options.setMetricsOptions(options());
    }
    return options;
  }

  /** A builder of a Vert.x for the server: {@code options} {@linkplain #enable enabled}, Micrometer as metrics. */
  public static VertxBuilder builder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(enable(options));
    return options.getMetricsOptions() instanceof MicrometerMetricsOptions
        ? builder.withMetrics(new MicrometerMetricsFactory()) : builder;
  }
}
