package io.antpool.it;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task per worker slot, each held at a gate ({@link Probes#pidAfterGate}): every slot is known to be busy
 * while the test does something to the pool, and each value says which worker JVM ran the task.
 */
final class GatedTasks {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final Path dir;
  private final List<CompletableFuture<Long>> futures = new ArrayList<>();

  private GatedTasks(Path dir) {
    this.dir = dir;
  }

  /** Submits one gated task per worker (one slot each) and returns once each worker has started one. */
  static GatedTasks occupy(AntPoolExecutor pool, Path dir, List<ChildJvm> workers) throws Exception {
    GatedTasks tasks = new GatedTasks(dir);
    for (int i = 0; i < workers.size(); i++) {
      tasks.futures.add(pool.submit(Probes.pidAfterGate(dir.toString())));
    }
    for (ChildJvm w : workers) {
      Pool.awaitFile(dir.resolve("started-" + w.pid()), WAIT);
    }
    return tasks;
  }

  /** Opens the gate and returns the values, the PIDs of the JVMs that ran the tasks, in submission order. */
  List<Long> release() throws Exception {
    Files.writeString(dir.resolve("gate"), "");
    List<Long> values = new ArrayList<>();
    for (CompletableFuture<Long> f : futures) {
      values.add(f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    return values;
  }
}
