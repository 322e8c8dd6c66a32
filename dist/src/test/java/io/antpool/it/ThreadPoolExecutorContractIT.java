package io.antpool.it;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link ExecutorServiceContract} against the JDK's own {@code ThreadPoolExecutor}: proves that every clause the
 * contract checks is the JDK's behaviour, which AntPool's executor must then match.
 */
class ThreadPoolExecutorContractIT extends ExecutorServiceContract {
  @Override
  ExecutorService newExecutor() {
    return Executors.newFixedThreadPool(2);
  }
}
