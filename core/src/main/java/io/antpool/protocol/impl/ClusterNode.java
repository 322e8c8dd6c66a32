package io.antpool.protocol.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.List;

/**
 * This JVM's place in a Vert.x cluster, read from the cluster manager (Hazelcast in AntPool's distribution):
 * its node id, and the ids of the members the cluster manager sees now.
 */
public final class ClusterNode {
  private ClusterNode() {
  }

  /** This Vert.x instance's node id, or null when it is not clustered. */
  public static String idOf(Vertx vertx) {
    ClusterManager manager = manager(vertx);
    return manager == null ? null : manager.getNodeId();
  }

  /** The node ids of the cluster's members now, this one included; empty when not clustered. */
  public static List<String> members(Vertx vertx) {
    ClusterManager manager = manager(vertx);
    return manager == null ? List.of() : manager.getNodes();
  }

  /**
   * The host the cluster member {@code nodeId} gave for its event bus (its cluster host), or null when this
   * Vert.x is not clustered or does not know the member; completes on a cluster manager thread.
   */
  public static Future<String> hostOf(Vertx vertx, String nodeId) {
    ClusterManager manager = manager(vertx);
    if (manager == null) {
      return Future.succeededFuture(null);
    }
    Promise<NodeInfo> info = Promise.promise();
    manager.getNodeInfo(nodeId, info);
    return info.future().map(n -> n == null ? null : n.host());
  }

  private static ClusterManager manager(Vertx vertx) {
    return vertx.isClustered() && vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
  }
}
