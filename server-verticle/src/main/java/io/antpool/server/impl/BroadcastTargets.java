package io.antpool.server.impl;

import io.antpool.config.Tags;
import io.antpool.protocol.BroadcastScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The slots a broadcast runs on, fixed when it is submitted: every connected Java slot whose tags meet the
 * requirements ({@link BroadcastScope#SLOTS}), or one such slot per host ({@link BroadcastScope#HOSTS}),
 * preferring a free slot, then the first in policy order, so that the part starts as soon as possible.
 */
final class BroadcastTargets {
  private BroadcastTargets() {
  }

  /**
   * @param slots every connected slot, in order of arrival
   * @param free the free slots, in policy order
   */
  static List<WorkerSlot> of(BroadcastScope scope, Map<String, String> requires, Collection<WorkerSlot> slots,
      Set<WorkerSlot> free) {
    List<WorkerSlot> matching = new ArrayList<>();
    for (WorkerSlot slot : slots) {
      if (slot.kind.language() == Language.JAVA && Tags.matches(requires, slot.tags())) {
        matching.add(slot);
      }
    }
    if (scope == BroadcastScope.SLOTS) {
      return matching;
    }
    Map<String, WorkerSlot> perHost = new LinkedHashMap<>();
    for (WorkerSlot slot : free) {
      if (slot.kind.language() == Language.JAVA && Tags.matches(requires, slot.tags())) {
        perHost.putIfAbsent(slot.remoteIp, slot);
      }
    }
    for (WorkerSlot slot : matching) {
      perHost.putIfAbsent(slot.remoteIp, slot);
    }
    return new ArrayList<>(perHost.values());
  }
}
