package io.antpool.server.impl;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The server JVM's heap, for {@code GET /health}: what is used now (live data plus garbage not yet collected),
 * what was left after the most recent collection of each pool (close to the live data: the figure to watch for
 * a leak or for unbounded buffering), and the maximum ({@code -Xmx}).
 */
final class HeapFigures {
  private HeapFigures() {
  }

  static JsonObject now() {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long afterGc = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage collected = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && collected != null) {
        afterGc += collected.getUsed();
      }
    }
    return new JsonObject().put("usedBytes", heap.getUsed()).put("afterGcBytes", afterGc)
        .put("maxBytes", heap.getMax());
  }
}
