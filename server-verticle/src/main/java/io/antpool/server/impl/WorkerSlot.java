package io.antpool.server.impl;

import io.antpool.protocol.PeerInfo;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One execution slot of a worker, known by its address (on the event bus, or only a name for a WebSocket worker's),
 * that runs one task at a time, and may hold more behind it (the server's {@code prefetch}), which its worker runs
 * in the order they were sent.
 */
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
  /** The tasks sent to this slot and not answered yet, oldest (the one running) first. */
  final ArrayDeque<TaskRecord> held = new ArrayDeque<>();
  /** When the slot last answered a task ({@link System#nanoTime()}), to time the next one it answers. */
  long lastAnswerNanos = Long.MIN_VALUE;
  /** The slot's last task took under {@link Scheduler#QUICK_MILLIS}: it may be sent tasks while it works. */
  boolean quick;
  /** How long the slot's last answered task ran, in nanoseconds: what each task it holds is expected to take. */
  long lastRunNanos;
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
  /**
   * Writes a frame down the slot's own WebSocket, for a worker connected to this server; null for a slot reached
   * on the event bus (embedded, clustered, Python), which is then sent its frames at {@link #address}.
   */
  final Consumer<Buffer> socket;

  WorkerSlot(String address, PeerInfo peer, String remoteIp, WorkerKind kind, long seq) {
    this(address, peer, remoteIp, kind, seq, null);
  }

  WorkerSlot(String address, PeerInfo peer, String remoteIp, WorkerKind kind, long seq, Consumer<Buffer> socket) {
    this.socket = socket;
    this.address = address;
    this.peer = peer;
    this.remoteIp = remoteIp;
    this.kind = kind;
    this.seq = seq;
  }

  boolean busy() {
    return !held.isEmpty();
  }

  /** The task the slot runs (the oldest it holds), or null. */
  TaskRecord task() {
    return held.peekFirst();
  }

  /** When the task it runs started ({@link System#nanoTime()}): when it was sent, or when the one before ended. */
  long runStartNanos() {
    TaskRecord running = held.peekFirst();
    return running == null ? Long.MIN_VALUE : Math.max(running.dispatchedAtNanos, lastAnswerNanos);
  }

  Map<String, String> tags() {
    return peer.tags();
  }

  String displayName() {
    return peer.name() == null ? address : peer.name();
  }
}
