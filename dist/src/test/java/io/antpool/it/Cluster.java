package io.antpool.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Vert.x cluster of AntPool JVMs for a test: a Hazelcast configuration of its own (a cluster name no other
 * test shares, members on the given addresses from a free base port), and clustered server and worker JVMs
 * started with it.
 */
final class Cluster {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final int PORTS = 8;

  private final Path conf;
  private final String host;

  private Cluster(Path conf, String host) {
    this.conf = conf;
    this.host = host;
  }

  /** A cluster on loopback. */
  static Cluster onLoopback(Path dir) throws IOException {
    return on(dir, "127.0.0.1", List.of("127.0.0.1"));
  }

  /**
   * A cluster whose members live on {@code addresses}; JVMs started by {@link #server} and {@link #worker} bind
   * to {@code host} unless told otherwise.
   */
  static Cluster on(Path dir, String host, List<String> addresses) throws IOException {
    int base = Pool.freePort();
    StringBuilder members = new StringBuilder();
    StringBuilder interfaces = new StringBuilder();
    for (String address : addresses) {
      interfaces.append("          <interface>").append(address).append("</interface>\n");
    }
    for (String address : addresses) {
      for (int p = base; p < base + PORTS; p++) {
        members.append("        <member>").append(address).append(':').append(p).append("</member>\n");
      }
    }
    Path conf = dir.resolve("cluster-" + COUNTER.incrementAndGet() + ".xml");
    Files.writeString(conf, """
        <?xml version="1.0" encoding="UTF-8"?>
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <cluster-name>antpool-it-%s</cluster-name>
          <properties>
            <property name="hazelcast.logging.type">slf4j</property>
            <property name="hazelcast.phone.home.enabled">false</property>
            <property name="hazelcast.heartbeat.interval.seconds">1</property>
            <property name="hazelcast.max.no.heartbeat.seconds">6</property>
            <property name="hazelcast.wait.seconds.before.join">0</property>
          </properties>
          <network>
            <port auto-increment="true" port-count="%d">%d</port>
            <interfaces enabled="true">
        %s    </interfaces>
            <join>
              <multicast enabled="false"/>
              <auto-detection enabled="false"/>
              <tcp-ip enabled="true">
        %s      </tcp-ip>
            </join>
          </network>
          <multimap name="__vertx.subs">
            <backup-count>1</backup-count>
            <value-collection-type>SET</value-collection-type>
          </multimap>
          <map name="__vertx.haInfo"><backup-count>1</backup-count></map>
          <map name="__vertx.nodeInfo"><backup-count>1</backup-count></map>
        </hazelcast>
        """.formatted(UUID.randomUUID(), PORTS, base, interfaces, members));
    return new Cluster(conf, host);
  }

  Path conf() {
    return conf;
  }

  private List<String> clusterArgs(String bindHost) {
    return List.of("--cluster", "--cluster-host", bindHost, "--cluster-conf", conf.toString());
  }

  /** A clustered server on {@code 127.0.0.1} (WebSocket, HTTP) and the cluster host; returns once it is ready. */
  ChildJvm server(String... prefix) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(prefix));
    cmd.addAll(List.of(Pool.java(), "-Xmx256m", "-jar", Pool.jar().toString(), "server", "--host",
        host.equals("127.0.0.1") ? "127.0.0.1" : "0.0.0.0", "--port", "0", "/v"));
    cmd.addAll(clusterArgs(host));
    ChildJvm server = ChildJvm.start("cluster-server-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
    server.awaitLine(Pool.READY, Pool.START);
    return server;
  }

  /** A clustered worker JVM with {@code slots} slots bound to {@code bindHost}, not waiting for it to join. */
  ChildJvm workerOn(String bindHost, int slots, String... prefix) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(prefix));
    cmd.addAll(List.of(Pool.java(), "-Xmx256m", "-jar", Pool.jar().toString(), "worker", "--instances",
        Integer.toString(slots)));
    cmd.addAll(clusterArgs(bindHost));
    return ChildJvm.start("cluster-worker-" + COUNTER.incrementAndGet(), cmd, null, Map.of());
  }

  /** A clustered worker JVM with {@code slots} slots; returns once every slot has joined. */
  ChildJvm worker(int slots) throws IOException, InterruptedException {
    ChildJvm worker = workerOn(host, slots);
    Pool.awaitJoined(worker, slots);
    return worker;
  }
}
