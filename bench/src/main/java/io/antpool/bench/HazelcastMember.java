package io.antpool.bench;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetSocketAddress;

/**
 * A Hazelcast data member in a child JVM, for {@link HazelcastBaseline}: the counterpart of an AntPool worker
 * JVM. It joins the cluster its command line names ({@link HazelcastCluster#args()}), prints
 * {@code hazelcast member ready at 127.0.0.1:PORT} once it has joined, and runs the tasks the harness submits
 * to the executor {@value HazelcastCluster#EXECUTOR} until it is stopped. The task classes must be on its class
 * path: Hazelcast does not ship classes (unless user code deployment is configured, which this does not).
 *
 * <p>It ends when it is asked to (SIGTERM; Hazelcast's shutdown hook leaves the cluster), or when the JVM that
 * started it ends, so a harness killed outright leaves no member behind. (Its standard input is closed at start
 * by {@link ChildJvm}, so it cannot be the signal.)
 */
public final class HazelcastMember {
  private HazelcastMember() {
  }

  public static void main(String[] args) {
    HazelcastCluster cluster;
    try {
      cluster = HazelcastCluster.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("HazelcastMember: " + e.getMessage());
      System.exit(2);
      return;
    }
    quietLogging();
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(3)));
    HazelcastInstance member = Hazelcast.newHazelcastInstance(cluster.config(false));
    InetSocketAddress address = member.getCluster().getLocalMember().getSocketAddress();
    System.out.println("hazelcast member ready at " + address.getHostString() + ":" + address.getPort()
        + " in a cluster of " + member.getCluster().getMembers().size());
  }

  /**
   * Warnings and errors only, as in the harness: set before the first logger exists (Hazelcast's static loggers
   * read {@code hazelcast.logging.type} from the system properties, not from the configuration).
   */
  static void quietLogging() {
    System.setProperty("hazelcast.logging.type", "slf4j");
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "antpool-bench-logback.xml");
    }
  }
}
