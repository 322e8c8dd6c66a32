package io.antpool.it.isolation;

import java.io.Serializable;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * Run on a worker: collects garbage (which unloads the classes of unreachable class loaders) a few times, then
 * reads the JVM's loaded class count and heap use.
 */
public final class MeasureJvm implements Callable<JvmFigures>, Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public JvmFigures call() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    return new JvmFigures(classes.getLoadedClassCount(), classes.getUnloadedClassCount(),
        classes.getTotalLoadedClassCount(), ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }
}
