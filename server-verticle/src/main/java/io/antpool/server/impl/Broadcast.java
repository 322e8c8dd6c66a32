package io.antpool.server.impl;

import java.util.ArrayList;
import java.util.List;

/**
 * One broadcast submit: a task run once on each of a fixed set of slots (its parts, one {@link TaskRecord}
 * pinned to each slot). Every part answers the client on its own, under the client's one task id, with its
 * part number; the broadcast is open until all parts have answered or the client cancels it. A part is never
 * rerun on another slot: when its slot is lost, the part answers LOST.
 */
final class Broadcast {
  final long clientTaskId;
  final List<TaskRecord> parts = new ArrayList<>();
  private int unanswered;

  Broadcast(long clientTaskId) {
    this.clientTaskId = clientTaskId;
  }

  void add(TaskRecord part) {
    parts.add(part);
    unanswered++;
  }

  int size() {
    return parts.size();
  }

  /** Records that one part answered; true when it was the last. */
  boolean answered() {
    return --unanswered == 0;
  }
}
