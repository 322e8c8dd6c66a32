package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import java.util.ArrayDeque;
import java.util.Map;

/** One execution slot of a worker: an event-bus address that accepts one task at a time. */
final class WorkerSlot {
  final String address;
  final PeerInfo peer;
  final String remoteIp;
  final WorkerKind kind;
  final long joinedAtMillis = System.currentTimeMillis();
  /** The cluster member a clustered slot lives on, or null: the slot goes when that member leaves. */
  String node;
  /** Order of arrival, to break ties between equally fast slots. */
  final long seq;
  TaskRecord task;
  /** Parts of broadcasts waiting for this slot, which take them before any other queued task. */
  final ArrayDeque<TaskRecord> pinned = new ArrayDeque<>();
  long tasksRun;
  long failures;
  /** CPU time its tasks used, as the worker reported it with their results. */
  long cpuNanos;
  /** Bytes of tasks sent to this slot, and of results received from it (payloads, as the client encoded them). */
  long bytesOut;
  long bytesIn;
  /** The worker is stopping gracefully: no task is dispatched to this slot any more. */
  boolean draining;

  WorkerSlot(String address, PeerInfo peer, String remoteIp, WorkerKind kind, long seq) {
    this.address = address;
    this.peer = peer;
    this.remoteIp = remoteIp;
    this.kind = kind;
    this.seq = seq;
  }

  boolean busy() {
    return task != null;
  }

  Map<String, String> tags() {
    return peer.tags();
  }

  String displayName() {
    return peer.name() == null ? address : peer.name();
  }
}
