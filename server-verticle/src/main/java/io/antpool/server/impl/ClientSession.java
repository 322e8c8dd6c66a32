package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** A connected task client: its FIFO queue and counters. Touched only on the scheduler's event loop. */
final class ClientSession {
  final String id;
  final PeerInfo peer;
  final String remoteIp;
  final FrameSink sink;
  final long connectedAtMillis = System.currentTimeMillis();
  final ArrayDeque<TaskRecord> queue = new ArrayDeque<>();
  /** Tasks not yet answered nor cancelled, by the client's task id: to refuse duplicates and find cancels. */
  final Map<Long, TaskRecord> openTasks = new HashMap<>();
  boolean inReadyRing;
  boolean gone;
  long submitted;
  long completed;
  long failed;
  long cancelled;
  int running;

  ClientSession(String id, PeerInfo peer, String remoteIp, FrameSink sink) {
    this.id = id;
    this.peer = peer;
    this.remoteIp = remoteIp;
    this.sink = sink;
  }
}
