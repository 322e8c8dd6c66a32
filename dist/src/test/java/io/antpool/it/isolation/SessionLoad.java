package io.antpool.it.isolation;

import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * A task that makes its loader define a few hundred classes (Jackson's, from the client): on a worker it
 * answers {@code classes-it-loaded json loader-name}.
 */
public final class SessionLoad implements Callable<String>, Serializable {
  private static final long serialVersionUID = 1L;
  private final int id;

  public SessionLoad(int id) {
    this.id = id;
  }

  @Override
  public String call() throws Exception {
    long before = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    String json = JsonWork.write(id);
    long after = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    return (after - before) + " " + json + " " + getClass().getClassLoader().getName();
  }
}
