package io.antpool.client.impl;

import io.antpool.client.WorkerResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The results of a broadcast as they arrive, one per target slot, each numbered by the server ({@code part}
 * of {@code parts}); complete when every part is in. A resend after a reconnect starts over, as the new
 * session's broadcast has targets of its own.
 */
final class BroadcastParts {
  private WorkerResult<Object>[] parts;
  private int received;

  /** Records part {@code part} of {@code total}; true when it completes the set. */
  @SuppressWarnings("unchecked")
  boolean add(int part, int total, WorkerResult<Object> result) {
    if (parts == null || parts.length != total) {
      parts = new WorkerResult[total];
      received = 0;
    }
    if (part < 0 || part >= total || parts[part] != null) {
      return false; // a duplicate or out of range: the server's bug, not worth failing the broadcast for
    }
    parts[part] = result;
    return ++received == total;
  }

  /** The results in part order (the order of the targets the server chose). */
  List<WorkerResult<Object>> results() {
    return parts == null ? List.of() : new ArrayList<>(Arrays.asList(parts));
  }

  void reset() {
    parts = null;
    received = 0;
  }
}
