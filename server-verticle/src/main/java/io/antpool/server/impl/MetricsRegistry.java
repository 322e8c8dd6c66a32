package io.antpool.server.impl;

import io.antpool.server.ServerMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus registry {@code /metrics} serves. When the server's Vert.x reports its metrics to a Prometheus
 * registry (built as {@link ServerMetrics} says, or with Vert.x's default registry name), that one, so Vert.x's
 * figures and the JVM's (which Vert.x binds) are served too. Otherwise a registry of the server's own, with the
 * JVM's memory, GC, thread, class-loader and processor metrics bound to it; it is closed with the server.
 */
final class MetricsRegistry {
  private static final Logger log = LoggerFactory.getLogger(MetricsRegistry.class);

  private final PrometheusMeterRegistry registry;
  /** Whether the registry is the server's own (else Vert.x's, which Vert.x closes). */
  private final boolean own;
  private final List<MeterBinder> jvmBinders;

  private MetricsRegistry(PrometheusMeterRegistry registry, boolean own, List<MeterBinder> jvmBinders) {
    this.registry = registry;
    this.own = own;
    this.jvmBinders = jvmBinders;
  }

  /**
   * The registry for a server in {@code vertx}. A Vert.x registry that already holds AntPool's meters belongs to
   * another server in this JVM; this server then uses one of its own, so neither reports the other's figures.
   */
  static MetricsRegistry of(Vertx vertx) {
    if (vertx.isMetricsEnabled()) {
      for (String name : List.of(ServerMetrics.REGISTRY_NAME, MicrometerMetricsOptions.DEFAULT_REGISTRY_NAME)) {
        if (BackendRegistries.getNow(name) instanceof PrometheusMeterRegistry shared) {
          if (shared.find(PoolMeters.SUBMITTED).meter() == null) {
            return new MetricsRegistry(shared, false, List.of());
          }
          log.warn("the Vert.x metrics registry \"{}\" already holds another AntPool server's metrics: this"
              + " server's /metrics serves a registry of its own, without Vert.x's figures", name);
        }
      }
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
        new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics(), new JvmInfoMetrics());
    binders.forEach(b -> b.bindTo(registry));
    return new MetricsRegistry(registry, true, binders);
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Whether Vert.x reports to this registry, i.e. {@code /metrics} shows Vert.x's figures. */
  boolean withVertxMetrics() {
    return !own;
  }

  /** Closes a registry of the server's own (Vert.x closes its own registry when it closes). */
  void close() {
    if (!own) {
      return;
    }
    for (MeterBinder binder : jvmBinders) {
      if (binder instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          log.debug("closing JVM metrics {} failed: {}", binder.getClass().getSimpleName(), e.toString());
        }
      }
    }
    registry.close();
  }
}
