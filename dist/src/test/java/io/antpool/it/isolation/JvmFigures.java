package io.antpool.it.isolation;

import java.io.Serializable;

/** A worker JVM's class and heap figures, measured after garbage collection. */
public record JvmFigures(long loadedClasses, long unloadedClasses, long totalLoadedClasses, long heapUsed)
    implements Serializable {

  public static String describeGrowth(JvmFigures before, JvmFigures after) {
    return String.format("loaded classes %d -> %d (%+d; %d loaded and %d unloaded in between), heap used after GC"
        + " %.1f MB -> %.1f MB (%+.1f MB)", before.loadedClasses, after.loadedClasses,
        after.loadedClasses - before.loadedClasses, after.totalLoadedClasses - before.totalLoadedClasses,
        after.unloadedClasses - before.unloadedClasses, mb(before.heapUsed), mb(after.heapUsed),
        mb(after.heapUsed - before.heapUsed));
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
