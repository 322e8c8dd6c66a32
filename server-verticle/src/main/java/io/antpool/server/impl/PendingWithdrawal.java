package io.antpool.server.impl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A client's {@code withdraw} whose {@code withdrawn} answer waits for the worker slots to answer the recalls of
 * the client's tasks they hold unstarted: each given back joins the tasks dropped from the queue, so that the
 * client gets all its never-started tasks in one answer. Touched only on the scheduler's event loop.
 */
final class PendingWithdrawal {
  private final List<TaskRecord> neverStarted = new ArrayList<>();
  /** Withdraws to answer: a client sends one at a time, but one that sends another is answered for each. */
  private int answersOwed = 1;

  void add(TaskRecord task) {
    neverStarted.add(task);
  }

  void anotherWithdraw() {
    answersOwed++;
  }

  int answersOwed() {
    return answersOwed;
  }

  /** The client's ids of the tasks that never started, in the order they were submitted. */
  List<Long> neverStartedIds() {
    neverStarted.sort(Comparator.comparingLong(t -> t.id));
    List<Long> ids = new ArrayList<>(neverStarted.size());
    for (TaskRecord t : neverStarted) {
      ids.add(t.clientTaskId);
    }
    return ids;
  }
}
