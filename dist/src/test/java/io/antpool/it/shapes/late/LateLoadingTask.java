package io.antpool.it.shapes.late;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task whose helper classes appear only inside the branches of {@link #call()}: no field, parameter or
 * return type names them, so decoding the task cannot need them. Before choosing a branch it asks for the
 * resource {@value #CHECKPOINT}, which the client sees as a fetch: a mark in time that the task is running.
 */
public final class LateLoadingTask implements Callable<String>, Serializable {
  private static final long serialVersionUID = 1L;
  public static final String CHECKPOINT = "running.checkpoint";
  private final int n;

  public LateLoadingTask(int n) {
    this.n = n;
  }

  @Override
  public String call() {
    boolean checkpointExists = LateLoadingTask.class.getResource(CHECKPOINT) != null;
    if (n > 10) {
      return new LateHelper().describe(n) + (checkpointExists ? "" : " (checkpoint not found)");
    }
    return new NeverLoadedHelper().describe(n);
  }
}
