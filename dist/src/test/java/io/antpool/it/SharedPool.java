package io.antpool.it;

import io.antpool.client.AntPoolExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * A server JVM, worker JVMs and an executor connected to them, shared by the tests of one class: started in
 * {@code @BeforeAll}, closed in {@code @AfterAll} (executor first, then workers, then the server).
 */
final class SharedPool implements AutoCloseable {
  final ChildJvm server;
  final AntPoolExecutor executor;
  final List<ChildJvm> workers;

  private SharedPool(ChildJvm server, List<ChildJvm> workers, AntPoolExecutor executor) {
    this.server = server;
    this.workers = workers;
    this.executor = executor;
  }

  /** One worker JVM per entry, with that many slots; returns once every slot has joined. */
  static SharedPool start(int... slotsPerWorker) throws Exception {
    ChildJvm server = Pool.server();
    List<ChildJvm> workers = new ArrayList<>();
    try {
      for (int slots : slotsPerWorker) {
        workers.add(Pool.worker(server, slots));
      }
      return new SharedPool(server, workers, new AntPoolExecutor(Pool.url(server)));
    } catch (Exception | Error e) {
      workers.forEach(ChildJvm::close);
      server.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      executor.close();
    } finally {
      workers.forEach(ChildJvm::close);
      server.close();
    }
  }
}
