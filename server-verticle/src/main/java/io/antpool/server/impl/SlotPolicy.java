package io.antpool.server.impl;

import java.util.Comparator;

/**
 * Which free slot gets the next task: the first in this order. A new policy is a new implementation, not a
 * new branch in the scheduler.
 */
interface SlotPolicy extends Comparator<WorkerSlot> {
}
