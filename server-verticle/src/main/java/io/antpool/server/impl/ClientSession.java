package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/** A connected task client: its FIFO queue and counters. Touched only on the scheduler's event loop. */
final class ClientSession {
  final String id;
  final PeerInfo peer;
  final String remoteIp;
  final FrameSink sink;
  final long connectedAtMillis = System.currentTimeMillis();
  final ArrayDeque<TaskRecord> queue = new ArrayDeque<>();
  /** Client task ids not yet answered, to refuse duplicates. */
  final Set<Long> openTaskIds = new HashSet<>();
  boolean inReadyRing;
  boolean gone;
  long submitted;
  long completed;
  long failed;
  int running;

  ClientSession(String id, PeerInfo peer, String remoteIp, FrameSink sink) {
    this.id = id;
    this.peer = peer;
    this.remoteIp = remoteIp;
    this.sink = sink;
  }
}
