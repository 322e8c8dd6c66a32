package io.antpool.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The cluster options of {@code antpool server} and {@code antpool worker}: without {@code --cluster} the
 * Vert.x is a plain one; a cluster configuration that cannot be found is refused before anything starts,
 * naming where it was looked for.
 */
class ClusterOptionsTest {

  private static ClusterOptions parse(String... args) {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs(args);
    return command.cluster;
  }

  @Test
  void theOptionsAreParsedOnBothCommands() {
    ClusterOptions o = parse("--cluster", "--cluster-host", "10.0.0.5", "--cluster-port", "15701",
        "--cluster-conf", "lan.xml");
    assertTrue(o.cluster);
    assertEquals("10.0.0.5", o.host);
    assertEquals(15701, o.port);
    assertEquals("lan.xml", o.conf);
    ServerCommand server = new ServerCommand();
    new CommandLine(server).parseArgs("--cluster");
    assertTrue(server.cluster.cluster);
    assertEquals("cluster.xml", server.cluster.conf, "conf/cluster.xml by default");
  }

  @Test
  void withoutClusterTheVertxIsNotClustered() {
    Vertx vertx = parse().vertx();
    try {
      assertFalse(vertx.isClustered());
    } finally {
      vertx.close();
    }
  }

  @Test
  void aMissingClusterConfigurationIsRefusedSayingWhere() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse("--cluster", "--cluster-conf", "no-such-cluster.xml").vertx());
    assertTrue(e.getMessage().contains("no-such-cluster.xml not found; looked at"), e.getMessage());
  }
}
