package io.antpool.server.impl;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Counts workers as people see them: worker processes, each with one or more slots. A slot's process is the
 * address it connects from with the host name and process id it reports (a WebSocket worker opens one
 * connection per slot; embedded slots all live in the server's own process).
 */
final class WorkerProcesses {
  private WorkerProcesses() {
  }

  /** How many distinct worker processes the {@code slots} belong to. */
  static int count(Collection<WorkerSlot> slots) {
    Set<String> processes = new HashSet<>();
    for (WorkerSlot slot : slots) {
      processes.add(slot.remoteIp + '/' + slot.peer.host() + '/' + slot.peer.pid());
    }
    return processes.size();
  }
}
