package io.antpool.it;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Nested;

/**
 * The contract tests against the JDK's own {@code ThreadPoolExecutor}: proves that every clause they check is the
 * JDK's behaviour, which AntPool's executor must then match ({@link AntPoolExecutorContractIT}).
 */
class ThreadPoolExecutorContractIT {
  @Nested
  class ExecutorServiceClauses extends ExecutorServiceContract {
    @Override
    ExecutorService newExecutor() {
      return Executors.newFixedThreadPool(2);
    }
  }

  @Nested
  class FutureClauses extends FutureContract {
    @Override
    ExecutorService newExecutor() {
      return Executors.newFixedThreadPool(2);
    }
  }
}
