package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.ProgressListener;
import io.antpool.it.progress.ProgressTasks;
import io.antpool.launcher.EmbeddedPool;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task's own progress, end to end: a real task reports step after step on a real worker (a worker JVM over a
 * WebSocket, and a worker slot on the server's event bus), held at each step by a gate the test opens, so every
 * report is observed: the caller's listener receives each, with the task's future, within a bounded wait, and
 * the status API shows it in the row of the worker slot running the task. A burst of reports reaches the caller
 * as its first and its last, while the task still runs. The counts listener ends with the right submitted,
 * completed and failed figures, a failing task included.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProgressIT {
  /** Each report is sent within 250 ms of being made; this bounds the wait generously for a busy machine. */
  private static final Duration REPORT = Duration.ofSeconds(15);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int STEPS = 4;

  private Path dir;

  @BeforeEach
  void gates() throws Exception {
    dir = Files.createTempDirectory("antpool-progress");
  }

  /** Every task report the listener is told, and the counts it was told last. */
  private static final class Recorder implements ProgressListener {
    final BlockingQueue<Object[]> reports = new LinkedBlockingQueue<>();
    final List<String> counts = new CopyOnWriteArrayList<>();

    @Override
    public void taskProgress(Future<?> task, TaskProgress progress) {
      reports.add(new Object[] {task, progress});
    }

    @Override
    public void counts(long submitted, long completed, long failed) {
      counts.add(submitted + "/" + completed + "/" + failed);
    }

    /** The next report, which must be {@code expected} for {@code task}. */
    void expect(Future<?> task, TaskProgress expected) throws InterruptedException {
      Object[] report = reports.poll(REPORT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(report, "the listener was not told " + expected + " within " + REPORT);
      assertSame(task, report[0], "the report comes with the future submit returned");
      assertEquals(expected, report[1]);
    }

    /** Reports for {@code task} that rise until {@code last} (the ones between may be skipped, or not). */
    void expectRisingTo(Future<?> task, TaskProgress last) throws InterruptedException {
      long before = 0;
      while (true) {
        Object[] report = reports.poll(REPORT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(report, "the listener was not told " + last + " within " + REPORT);
        assertSame(task, report[0]);
        TaskProgress p = (TaskProgress) report[1];
        assertTrue(p.done() > before, "reports come in the order they were made: " + p + " after " + before);
        if (p.equals(last)) {
          return;
        }
        before = p.done();
      }
    }
  }

  @Test
  void aWorkerJvmsTaskReportsEachStepToTheListenerAndTheStatusApi() throws Exception {
    try (ChildJvm server = Pool.server();
        ChildJvm worker = Pool.worker(server, 1)) {
      Recorder recorder = new Recorder();
      try (AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
        pool.setProgressListener(recorder);

        CompletableFuture<Integer> stepping = pool.submit(ProgressTasks.gatedSteps(dir.toString(), STEPS));
        for (int i = 1; i <= STEPS; i++) {
          TaskProgress step = new TaskProgress(i, STEPS, "step " + i);
          recorder.expect(stepping, step);
          assertEquals(step, pool.progress(stepping));
          JsonObject row = Pool.awaitStatus(server, runningTaskShows(step), REPORT);
          assertEquals(1, row.getJsonArray("workers").size());
          Files.createFile(dir.resolve("go-" + i));
        }
        assertEquals(STEPS, stepping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        CompletableFuture<Integer> burst = pool.submit(ProgressTasks.burstThenWait(dir.toString(), 1000));
        recorder.expect(burst, new TaskProgress(1, 1000)); // the first report goes at once
        recorder.expectRisingTo(burst, new TaskProgress(1000, 1000)); // the last by the worker's timer: the task waits
        Files.createFile(dir.resolve("burst-over"));
        assertEquals(1000, burst.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

        CompletableFuture<Integer> failing = pool.submit(ProgressTasks.failHalfway());
        CompletableFuture<Integer> plain = pool.submit(() -> 42);
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> failing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(failed.getCause().getMessage().contains("failed halfway"), String.valueOf(failed.getCause()));
        assertEquals(new TaskProgress(1, 2, "half"), pool.progress(failing), "its report came before its failure");
        assertEquals(42, plain.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      assertEquals("4/3/1", recorder.counts.get(recorder.counts.size() - 1),
          "the last counts, told before close() returned: " + recorder.counts);
      JsonObject idle = Pool.status(server).getJsonArray("workers").getJsonObject(0);
      assertEquals(null, idle.getValue("task"), "the slot runs nothing any more: " + idle.encode());
    }
  }

  @Test
  void anEventBusSlotsTaskReportsEachStepToo() throws Exception {
    try (EmbeddedPool embedded = EmbeddedPool.start(0, 1);
        AntPoolExecutor pool = new AntPoolExecutor(embedded.url())) {
      Recorder recorder = new Recorder();
      pool.setProgressListener(recorder);

      CompletableFuture<Integer> stepping = pool.submit(ProgressTasks.gatedSteps(dir.toString(), 2));
      for (int i = 1; i <= 2; i++) {
        TaskProgress step = new TaskProgress(i, 2, "step " + i);
        recorder.expect(stepping, step);
        JsonObject status = embeddedStatus(embedded);
        assertTrue(runningTaskShows(step).test(status), "the status API shows " + step + ": " + status.encode());
        Files.createFile(dir.resolve("go-" + i));
      }

      assertEquals(2, stepping.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** The status API's one worker slot runs a task whose latest report is {@code step}. */
  private static Predicate<JsonObject> runningTaskShows(TaskProgress step) {
    return status -> {
      JsonObject task = status.getJsonArray("workers").getJsonObject(0).getJsonObject("task");
      JsonObject progress = task == null ? null : task.getJsonObject("progress");
      return progress != null && progress.getLong("done") == step.done() && progress.getLong("total") == step.total()
          && step.message().equals(progress.getString("message"));
    };
  }

  /**
   * The status of an embedded pool's server. The listener was told the report after the server forwarded it,
   * so the server holds it by now: one read suffices.
   */
  private static JsonObject embeddedStatus(EmbeddedPool embedded) throws Exception {
    URI uri = URI.create(embedded.url().replace("ws://", "http://") + "/antadmin/api/status");
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
