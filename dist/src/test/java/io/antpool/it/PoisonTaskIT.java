package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.WorkerLostException;
import io.antpool.client.AntPoolExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A poison task, one that kills every worker JVM it runs on, is not rerun forever: after it has taken down
 * {@code maxAttempts} workers (3 by default) its future fails with a {@link WorkerLostException} naming them,
 * and the rest of the pool keeps working.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PoisonTaskIT {
  @Test
  void aTaskThatKillsItsWorkersFailsAfterThreeAndTheFourthWorkerKeepsServing() throws Exception {
    List<ChildJvm> workers = new ArrayList<>();
    try (ChildJvm server = Pool.server(); AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      for (int i = 1; i <= 4; i++) {
        workers.add(Pool.worker(server, 1, "--name", "w" + i));
      }
      SerializableCallable<String> poison = () -> {
        Runtime.getRuntime().halt(3); // the worker JVM dies at once, as with a native crash
        return "unreachable";
      };

      ExecutionException e = assertThrows(ExecutionException.class,
          () -> pool.submit(poison).get(120, TimeUnit.SECONDS));

      WorkerLostException lost = assertInstanceOf(WorkerLostException.class, e.getCause());
      assertTrue(lost.getMessage().contains("3 attempt(s) of at most 3"), lost.getMessage());
      long named = workers.stream().filter(w -> lost.getMessage().contains("w" + (workers.indexOf(w) + 1)))
          .count();
      assertEquals(3, named, "the three workers it took down are named: " + lost.getMessage());
      for (int i = 1; i <= 4; i++) {
        if (lost.getMessage().contains("w" + i)) {
          workers.get(i - 1).awaitExit(java.time.Duration.ofSeconds(30)); // each one it names died
        }
      }
      assertEquals("still serving", pool.submit(() -> "still serving").get(60, TimeUnit.SECONDS));
      assertEquals(1, Pool.status(server).getInteger("slots"), "the fourth worker remains");
    } finally {
      workers.forEach(ChildJvm::close);
    }
  }
}
