package io.antpool.server.impl;

import io.antpool.protocol.impl.ClusterNode;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the slots of clustered workers whose JVM left the cluster. Clustered slots have no connection of their
 * own to watch: the cluster manager's membership is their liveness (Hazelcast removes a member whose
 * connection closes, or that misses heartbeats for {@code hazelcast.max.no.heartbeat.seconds}). The member list
 * is read from the cluster manager every {@code periodMillis}; the cluster manager's own node listener is Vert.x's
 * and is left alone.
 */
final class ClusterWatch {
  private static final Logger log = LoggerFactory.getLogger(ClusterWatch.class);

  private final Vertx vertx;
  private final Scheduler scheduler;
  private long timer = -1;

  ClusterWatch(Vertx vertx, Scheduler scheduler) {
    this.vertx = vertx;
    this.scheduler = scheduler;
  }

  /** Starts watching, if this server is clustered; call on the scheduler's event loop. */
  void start(long periodMillis) {
    if (vertx.isClustered()) {
      timer = vertx.setPeriodic(periodMillis, t -> check());
    }
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void check() {
    Set<String> members = new HashSet<>(ClusterNode.members(vertx));
    List<WorkerSlot> gone = new ArrayList<>();
    for (WorkerSlot slot : scheduler.slots()) {
      if (slot.node != null && !members.contains(slot.node)) {
        gone.add(slot);
      }
    }
    for (WorkerSlot slot : gone) {
      log.warn("cluster member {} of worker slot {} left the cluster", slot.node, slot.displayName());
      scheduler.removeSlot(slot.address, "its JVM (cluster member " + slot.node + ") left the cluster");
    }
  }
}
