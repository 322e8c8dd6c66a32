package io.antpool.bench;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the Hazelcast members of one benchmark run find each other, and only each other: loopback only, TCP-IP
 * join over an explicit list of ports ({@code basePort} and the {@code ports - 1} after it, which the members
 * take in turn by port auto-increment), multicast and auto-detection off, and a cluster name no other run shares,
 * so no stray member anywhere on the machine can join. The same record configures the harness and the child
 * members ({@link HazelcastMember}), which get it on their command line ({@link #args()}, {@link #parse}).
 *
 * @param name the cluster name, unique to the run
 * @param basePort the first port members try
 * @param ports how many ports, from {@code basePort} on, the members may take (and join over)
 * @param executorThreads threads of the benchmark's executor on every member
 */
record HazelcastCluster(String name, int basePort, int ports, int executorThreads) {
  /** The distributed executor the benchmark submits to. */
  static final String EXECUTOR = "antpool-bench";
  /** The executor's thread count when not chosen: Hazelcast's own default ({@code ExecutorConfig}). */
  static final int DEFAULT_EXECUTOR_THREADS = 16;
  private static final String LOOPBACK = "127.0.0.1";
  private static final int PORTS = 10;
  private static final int PORT_ATTEMPTS = 50;

  HazelcastCluster {
    if (basePort < 1 || basePort + ports - 1 > 65_535 || ports < 1) {
      throw new IllegalArgumentException("ports " + basePort + " to " + (basePort + ports - 1)
          + " are not a valid range; give a base port between 1 and " + (65_536 - ports));
    }
    if (executorThreads < 1) {
      throw new IllegalArgumentException("executor threads must be at least 1, not " + executorThreads);
    }
  }

  /**
   * A new cluster for one run: a fresh name, and a range of {@value #PORTS} ports on loopback that were all free
   * a moment ago (a port taken in between is skipped by auto-increment).
   */
  static HazelcastCluster fresh(int executorThreads) throws IOException {
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (allFree(base, PORTS)) {
        return new HazelcastCluster("antpool-bench-" + UUID.randomUUID(), base, PORTS, executorThreads);
      }
    }
    throw new IOException("found no " + PORTS + " consecutive free ports on " + LOOPBACK + " in " + PORT_ATTEMPTS
        + " attempts between 20000 and 60000; free some ports, or run fewer benchmarks at once");
  }

  private static boolean allFree(int base, int count) {
    for (int port = base; port < base + count; port++) {
      try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
        probe.setReuseAddress(true);
      } catch (IOException taken) {
        return false;
      }
    }
    return true;
  }

  /** This cluster on a child's command line; {@link #parse} reads it back. */
  List<String> args() {
    return List.of(name, Integer.toString(basePort), Integer.toString(ports), Integer.toString(executorThreads));
  }

  /**
   * Reads {@link #args()} back.
   *
   * @throws IllegalArgumentException naming the expected arguments, if {@code args} are not those
   */
  static HazelcastCluster parse(String... args) {
    if (args.length != 4) {
      throw new IllegalArgumentException("expected CLUSTER_NAME BASE_PORT PORT_COUNT EXECUTOR_THREADS, got "
          + List.of(args));
    }
    try {
      return new HazelcastCluster(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BASE_PORT, PORT_COUNT and EXECUTOR_THREADS must be integers, got "
          + List.of(args));
    }
  }

  /**
   * The configuration of a member of this cluster.
   *
   * @param lite whether the member holds no data (no partitions): the harness, which only submits
   */
  Config config(boolean lite) {
    Config config = new Config();
    config.setClusterName(name);
    config.setLiteMember(lite);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.diagnostics.enabled", "false");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // a member asked to stop (SIGTERM) leaves the cluster in order instead of vanishing (the default, TERMINATE)
    config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
    // the first member waits this long for others before it forms the cluster alone (default 5 s)
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    config.getExecutorConfig(EXECUTOR).setPoolSize(executorThreads);

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(basePort).setPortAutoIncrement(true).setPortCount(ports);
    network.getInterfaces().setEnabled(true).addInterface(LOOPBACK);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (int port = basePort; port < basePort + ports; port++) {
      join.getTcpIpConfig().addMember(LOOPBACK + ":" + port);
    }
    return config;
  }
}
