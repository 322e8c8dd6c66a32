package io.antpool.it;

import io.antpool.client.AntPoolExecutor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Timeout;

/**
 * The contract tests against {@link AntPoolExecutor}: a server JVM and one worker JVM with two slots, shared by
 * the tests; every test has an executor (a client session) of its own.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AntPoolExecutorContractIT {
  private static ChildJvm server;
  private static ChildJvm worker;

  @BeforeAll
  static void startPool() throws Exception {
    server = Pool.server();
    worker = Pool.worker(server, 2);
  }

  @AfterAll
  static void stopPool() {
    for (ChildJvm p : new ChildJvm[] {worker, server}) {
      if (p != null) {
        p.close();
      }
    }
  }

  private static ExecutorService newAntPoolExecutor() throws InterruptedException {
    return new AntPoolExecutor(Pool.url(server));
  }

  @Nested
  class ExecutorServiceClauses extends ExecutorServiceContract {
    @Override
    ExecutorService newExecutor() throws InterruptedException {
      return newAntPoolExecutor();
    }
  }

  @Nested
  class FutureClauses extends FutureContract {
    @Override
    ExecutorService newExecutor() throws InterruptedException {
      return newAntPoolExecutor();
    }
  }
}
