package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.client.AntPoolExecutor;
import io.antpool.it.contract.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker stopped gracefully (SIGTERM, as {@code kill} or Ctrl-C sends) takes no new task, lets the task it
 * runs end, sends its result and leaves: the task is not run again and does not fail.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GracefulStopIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void aWorkerStoppedWithSigtermFinishesItsTaskSendsTheResultAndLeaves() throws Exception {
    try (ChildJvm server = Pool.server(); ChildJvm worker = Pool.worker(server, 1);
        AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
      CompletableFuture<Long> task = pool.submit(Probes.pidAfterGate(dir.toString()));
      awaitFile("started-" + worker.pid());

      worker.terminate();
      // the server says so once the worker has told it it drains (the worker logs to its own files)
      server.awaitLine(java.util.regex.Pattern.compile("is draining: its task runs to its end"), WAIT);
      Files.writeString(dir.resolve("gate"), "");

      assertEquals(worker.pid(), task.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "its own result");
      worker.awaitExit(WAIT); // the JVM ends (its exit status after SIGTERM is the signal's, 143)
      Pool.awaitStatus(server, s -> s.getInteger("slots") == 0, WAIT);
      assertEquals(0L, Pool.status(server).getJsonObject("tasks").getLong("rerun"), "never run again");
      assertEquals(0L, Pool.status(server).getJsonObject("tasks").getLong("failed"), "nothing failed");
      assertTrue(Files.exists(dir.resolve("started-" + worker.pid())));
    }
  }

  private void awaitFile(String name) throws InterruptedException {
    Pool.awaitFile(dir.resolve(name), WAIT);
  }
}
