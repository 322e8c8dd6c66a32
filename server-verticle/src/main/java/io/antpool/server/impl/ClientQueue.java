package io.antpool.server.impl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One client's queued tasks: FIFO, except that a task no free slot may run does not hold back the tasks behind
 * it. Tasks are kept in one FIFO lane per distinct set of required tags (most clients have one or two), and
 * {@link #takePlaceable} looks only at the head of each lane: the oldest head for which a slot is found goes
 * first. Within a lane, order is strict FIFO (a requeued task goes back to the head of its lane).
 *
 * <p>Cost of a take: lanes × the slot chooser's cost; never a scan of the queued tasks themselves.
 */
final class ClientQueue implements Iterable<TaskRecord> {
  private final Map<Map<String, String>, ArrayDeque<TaskRecord>> lanes = new LinkedHashMap<>();
  private int size;
  /** Queue order: {@link TaskRecord#queueOrder} of the next task added at the tail, and at the head. */
  private long tail;
  private long head;

  /** A task and the slot chosen for it. */
  record Placement(TaskRecord task, WorkerSlot slot) {
  }

  void addLast(TaskRecord task) {
    task.queueOrder = tail++;
    lane(task).addLast(task);
    size++;
  }

  /** Puts a task back in front of every task queued (a task rerun after its worker was lost). */
  void addFirst(TaskRecord task) {
    task.queueOrder = --head;
    lane(task).addFirst(task);
    size++;
  }

  /** Removes a queued task; false if it is not queued here. Linear in the length of its lane. */
  boolean remove(TaskRecord task) {
    ArrayDeque<TaskRecord> lane = lanes.get(task.requires);
    if (lane == null || !lane.remove(task)) {
      return false;
    }
    size--;
    if (lane.isEmpty()) {
      lanes.remove(task.requires);
    }
    return true;
  }

  /**
   * Removes and returns the oldest task, among the heads of the lanes, for which {@code chooser} finds a slot,
   * with that slot; null when no head can be placed now.
   */
  Placement takePlaceable(Function<TaskRecord, WorkerSlot> chooser) {
    Placement best = null;
    for (ArrayDeque<TaskRecord> lane : lanes.values()) {
      TaskRecord candidate = lane.peekFirst();
      if (best != null && best.task.queueOrder < candidate.queueOrder) {
        continue;
      }
      WorkerSlot slot = chooser.apply(candidate);
      if (slot != null) {
        best = new Placement(candidate, slot);
      }
    }
    if (best != null) {
      remove(best.task);
    }
    return best;
  }

  /** Removes every task and returns them, oldest first. */
  List<TaskRecord> drain() {
    List<TaskRecord> all = new ArrayList<>(size);
    iterator().forEachRemaining(all::add);
    all.sort((a, b) -> Long.compare(a.queueOrder, b.queueOrder));
    lanes.clear();
    size = 0;
    return all;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The queued tasks, lane by lane (not in queue order). */
  @Override
  public Iterator<TaskRecord> iterator() {
    return lanes.values().stream().flatMap(ArrayDeque::stream).iterator();
  }

  private ArrayDeque<TaskRecord> lane(TaskRecord task) {
    return lanes.computeIfAbsent(task.requires, k -> new ArrayDeque<>());
  }
}
