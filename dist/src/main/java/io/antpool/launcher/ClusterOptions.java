package io.antpool.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import io.antpool.config.NativeTransport;
import io.antpool.server.ServerMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The command-line options that put a server or worker JVM in AntPool's Vert.x cluster, and the clustered
 * Vert.x they make: the Hazelcast cluster manager configured by {@code conf/cluster.xml} (or the file given),
 * the clustered event bus bound to {@code --cluster-host}.
 */
final class ClusterOptions {
  @Option(names = "--cluster", description = "Join the Vert.x cluster (Hazelcast, conf/cluster.xml): workers take"
      + " their tasks on the clustered event bus.")
  boolean cluster;

  @Option(names = "--cluster-host", paramLabel = "ADDRESS", description = "This machine's address for the"
      + " clustered event bus and Hazelcast (default: Hazelcast's choice; on a LAN give the LAN address).")
  String host;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "Port of the clustered event bus"
      + " (default: a free one).")
  int port;

  @Option(names = "--cluster-conf", paramLabel = "FILE", description = "Hazelcast configuration (default"
      + " conf/cluster.xml).")
  String conf = "cluster.xml";

  /**
   * A Vert.x instance: clustered when {@code --cluster} was given, else a plain one.
   *
   * @throws IllegalArgumentException when the cluster configuration cannot be found or read, with the fix
   * @throws IllegalStateException when this JVM cannot join the cluster, with the cause
   */
  Vertx vertx() {
    return vertx(false);
  }

  /** As {@link #vertx()}, with the Vert.x metrics the server serves at {@code /metrics} ({@link ServerMetrics}). */
  Vertx serverVertx() {
    return vertx(true);
  }

  private Vertx vertx(boolean serverMetrics) {
    Vertx vertx = build(NativeTransport.prefer(new VertxOptions()), serverMetrics);
    // one line on standard output, beside the ready line: which transport each of a pool's JVMs runs on
    System.out.println("AntPool network transport: " + NativeTransport.describe(vertx));
    return vertx;
  }

  private Vertx build(VertxOptions options, boolean serverMetrics) {
    if (!cluster) {
      return builder(options, serverMetrics).build();
    }
    Path file = ConfFiles.resolve(conf);
    // Hazelcast logs through SLF4J (so Logback's configuration applies) from its first line on
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config;
    try {
      config = new FileSystemXmlConfig(file.toFile());
    } catch (FileNotFoundException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read the cluster configuration " + file + ": " + e.getMessage()
          + "; start from conf/cluster.xml of the AntPool distribution", e);
    }
    EventBusOptions bus = new EventBusOptions().setPort(port);
    if (host != null) {
      bus.setHost(host).setClusterPublicHost(host);
      config.getNetworkConfig().setPublicAddress(host);
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(host);
    }
    try {
      return builder(options.setEventBusOptions(bus), serverMetrics)
          .withClusterManager(new HazelcastClusterManager(config))
          .buildClustered().await(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the AntPool cluster with " + file + ": " + e.getMessage()
          + "; check the member list there and that this machine reaches the others", e);
    }
  }

  private static VertxBuilder builder(VertxOptions options, boolean serverMetrics) {
    return serverMetrics ? ServerMetrics.builder(options) : Vertx.builder().with(options);
  }
}
