package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A task client's session: its queue and counters. It outlives a dropped connection for the grace period
 * ({@link ClientSessions}). Touched only on the scheduler's event loop. */
final class ClientSession {
  final String id;
  final PeerInfo peer;
  final String remoteIp;
  /** What its tasks are written in: which slots may run them. */
  Language language = Language.JAVA;
  /** Its connection, or the frames held for it while it has none. */
  final SessionLink sink;
  final long connectedAtMillis = System.currentTimeMillis();
  final ClientQueue queue = new ClientQueue();
  /** Tasks not yet answered nor cancelled, by the client's task id: to refuse duplicates and find cancels. */
  final Map<Long, TaskRecord> openTasks = new HashMap<>();
  /** Broadcasts with parts not yet answered nor cancelled, by the client's task id. */
  final Map<Long, Broadcast> openBroadcasts = new HashMap<>();
  /** How many of this client's tasks each host (remote address) runs now: what spreading levels. */
  private final Map<String, Integer> runningByHost = new HashMap<>();
  /** Tag requirements already reported as met by no connected worker, so each is logged once. */
  final Set<Map<String, String>> reportedUnmet = new HashSet<>();
  /** The grace-period timer while the client is away, else -1. */
  long graceTimer = -1;
  boolean inReadyRing;
  boolean gone;
  long submitted;
  long completed;
  long failed;
  long cancelled;
  int running;
  /** Of its tasks, how many a slot was asked to give back and has not answered yet. */
  int recalling;
  /** Its {@code withdraw} waiting for those answers, or null. */
  PendingWithdrawal withdrawal;

  /** One of this client's tasks went to {@code slot}. */
  void started(WorkerSlot slot) {
    running++;
    runningByHost.merge(slot.remoteIp, 1, Integer::sum);
  }

  /** A task of this client left {@code slot} (answered, cancelled or lost). */
  void stopped(WorkerSlot slot) {
    running--;
    runningByHost.computeIfPresent(slot.remoteIp, (k, n) -> n == 1 ? null : n - 1);
  }

  int runningOn(String host) {
    return runningByHost.getOrDefault(host, 0);
  }

  ClientSession(String id, PeerInfo peer, String remoteIp, FrameSink sink) {
    this.id = id;
    this.peer = peer;
    this.remoteIp = remoteIp;
    this.sink = sink instanceof SessionLink link ? link : new SessionLink(sink, sink, null);
  }
}
