package io.antpool.server.impl;

import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The server JVM's heap, for {@code GET /health}: what is used now (live data plus garbage not yet collected),
 * what the whole heap held right after the most recent collection (close to the live data, old generation
 * included: the figure to watch for a leak or for unbounded buffering; -1 before the first collection, or on a
 * JVM that does not tell), and the maximum ({@code -Xmx}).
 */
final class HeapFigures {
  private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

  private HeapFigures() {
  }

  static JsonObject now() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return new JsonObject().put("usedBytes", heap.getUsed()).put("afterGcBytes", afterLastGc())
        .put("maxBytes", heap.getMax());
  }

  private static long afterLastGc() {
    com.sun.management.GcInfo latest = null;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean hotspot) {
        com.sun.management.GcInfo info = hotspot.getLastGcInfo();
        if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
          latest = info;
        }
      }
    }
    if (latest == null) {
      return -1;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
      if (HEAP_POOLS.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    return used;
  }
}
