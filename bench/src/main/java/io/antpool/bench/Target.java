package io.antpool.bench;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Where a measurement sends its tasks: AntPool or a local thread pool, behind one method so both are driven by
 * exactly the same code and see exactly the same task objects.
 */
interface Target {

  /** A short label for progress lines. */
  String name();

  /** Starts {@code task}; the future completes with its value or its exception. */
  <T> CompletableFuture<T> submit(SerializableCallable<T> task);

  /**
   * The trivial task the throughput and round-trip measurements send here: {@code x * 2}, by default
   * {@link BenchTasks#twice}.
   */
  default SerializableCallable<Integer> trivial(int x) {
    return BenchTasks.twice(x);
  }

  /** {@code target} under another name, sending {@link StatefulTasks#twice} as its trivial task. */
  static Target withStaticState(String name, Target target) {
    return new WithStaticState(name, target);
  }

  /** See {@link #withStaticState}. */
  record WithStaticState(String name, Target target) implements Target {
    @Override
    public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
      return target.submit(task);
    }

    @Override
    public SerializableCallable<Integer> trivial(int x) {
      return StatefulTasks.twice(x);
    }
  }

  /** Tasks go through an {@link AntPoolExecutor}: serialized, sent to the server, run on a worker JVM. */
  static Target antPool(String name, AntPoolExecutor executor) {
    return new Target() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return executor.submit(task);
      }
    };
  }

  /**
   * Tasks go through the reactive {@link AntPoolClient}, which, unlike the executor, tells when it is connected
   * ({@link AntPoolClient#connect}): for timing a first task without the connection in it.
   */
  static Target antPoolClient(String name, AntPoolClient client) {
    return new Target() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return client.submit(task).toCompletionStage().toCompletableFuture();
      }
    };
  }

  /** Tasks run in this JVM on {@code pool}, unserialized: the baseline. */
  static Target local(String name, ExecutorService pool) {
    return new Target() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
        return CompletableFuture.supplyAsync(() -> {
          try {
            return task.call();
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        }, pool);
      }
    };
  }
}
