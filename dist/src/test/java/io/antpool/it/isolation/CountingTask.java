package io.antpool.it.isolation;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** Increments {@link Counter} and answers {@code count@loader}, the loader being the one Counter lives in. */
public final class CountingTask implements Callable<String>, Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public String call() {
    return Counter.next() + "@" + Counter.class.getClassLoader().getName();
  }
}
