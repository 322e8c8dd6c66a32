package io.antpool.server.impl;

import io.antpool.config.Tags;

/**
 * Which free slot a queued task goes to. Only slots of the task's language whose tags meet its requirements are
 * candidates;
 * among them, the first in {@link SlotPolicy} order, or, for a task that asks to spread, the one on the host
 * running the fewest of its client's tasks (ties: policy order). Spreading is best effort and greedy: it looks
 * at the slots free at this moment, never waits for a better one.
 *
 * <p>Cost: one pass over the free slots.
 */
final class SlotChooser {
  private SlotChooser() {
  }

  /** @param free the free slots in policy order; @return the slot for {@code task}, or null if none fits */
  static WorkerSlot choose(TaskRecord task, Iterable<WorkerSlot> free) {
    WorkerSlot best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (WorkerSlot slot : free) {
      if (slot.kind.language() != task.client.language || !Tags.matches(task.requires, slot.tags())) {
        continue;
      }
      if (!task.spread) {
        return slot;
      }
      int load = task.client.runningOn(slot.remoteIp);
      if (load < bestLoad) {
        best = slot;
        bestLoad = load;
        if (load == 0) {
          break;
        }
      }
    }
    return best;
  }
}
