package io.antpool.server.impl;

import io.antpool.protocol.Result;
import java.util.Arrays;

/**
 * Server-wide counters and a window of recent task latencies (submit to answer), for the status API. Touched
 * only on the scheduler's event loop.
 */
public final class ServerStats implements PoolListener {
  private static final int WINDOW = 1024;
  long submitted;
  long completed;
  long failed;
  long rerun;
  /** Tasks a worker slot gave back unstarted when the server recalled them (they never ran there). */
  long recalled;
  long cancelled;
  long fetches;
  long classTransfers;
  long classBytes;
  long classCacheHits;
  /** Error replies sent to peers for bad input (see PeerConnection). */
  long protocolErrors;
  /** Connections the server closed for bad input, silence or not reading. */
  long peersClosed;
  /**
   * Bytes of messages the server received from and sent to peers, WebSocket and event bus alike (frames as
   * encoded: header and payload).
   */
  long bytesIn;
  long bytesOut;
  private final long[] latencies = new long[WINDOW];
  private int latencyCount;
  private int latencyNext;

  @Override
  public void taskSubmitted(TaskRecord task) {
    submitted++;
  }

  @Override
  public void taskDispatched(TaskRecord task, WorkerSlot slot) {
    if (slot.kind != WorkerKind.WEBSOCKET) {
      bytesOut += task.payload.length(); // a WebSocket slot's dispatch is counted as it is written (Outbox)
    }
  }

  @Override
  public void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
    if (result.status() == Result.Status.VALUE) {
      completed++;
    } else {
      failed++;
    }
    if (ranOn != null) {
      recordLatency(System.nanoTime() - task.submittedAtNanos);
    }
  }

  @Override
  public void taskRequeued(TaskRecord task, WorkerSlot lost) {
    rerun++;
  }

  @Override
  public void taskRecalled(TaskRecord task, WorkerSlot slot) {
    recalled++;
  }

  @Override
  public void taskCancelled(ClientSession client, TaskRecord task) {
    cancelled++;
  }

  void recordLatency(long nanos) {
    latencies[latencyNext] = nanos;
    latencyNext = (latencyNext + 1) % WINDOW;
    latencyCount = Math.min(latencyCount + 1, WINDOW);
  }

  /** The given quantile (0..1) of the last {@value #WINDOW} task latencies, in milliseconds; 0 if none. */
  double latencyMillis(double quantile) {
    if (latencyCount == 0) {
      return 0;
    }
    long[] copy = Arrays.copyOf(latencies, latencyCount);
    Arrays.sort(copy);
    int index = (int) Math.min(copy.length - 1, Math.floor(quantile * copy.length));
    return copy[index] / 1e6;
  }
}
