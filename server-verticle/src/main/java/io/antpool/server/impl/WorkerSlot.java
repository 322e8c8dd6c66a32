package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;

/** One execution slot of a worker: an event-bus address that accepts one task at a time. */
final class WorkerSlot {
  final String address;
  final PeerInfo peer;
  final String remoteIp;
  final WorkerKind kind;
  final long joinedAtMillis = System.currentTimeMillis();
  /** Order of arrival, to break ties between equally fast slots. */
  final long seq;
  TaskRecord task;
  long tasksRun;
  long failures;

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

  String displayName() {
    return peer.name() == null ? address : peer.name();
  }
}
