package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Result;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pool summary the server logs every period (a minute; 300 ms here): tasks completed, failed and rerun in
 * the period, the pool as it is (worker processes, slots, busy slots, queued tasks, clients), and the latency
 * p50 and p99 of the period's tasks.
 */
class PoolSummaryTest {
  private static final Pattern LINE = Pattern.compile("^last 300 ms: completed (\\d+), failed (\\d+), rerun (\\d+);"
      + " workers (\\d+), slots (\\d+), busy (\\d+), queued (\\d+), clients (\\d+); (.*)$");
  private static final Pattern LATENCY = Pattern.compile("^latency p50 ([0-9.]+) ms, p99 ([0-9.]+) ms$");

  private static Matcher parse(String line) {
    Matcher m = LINE.matcher(line);
    assertTrue(m.matches(), "a summary line: " + line);
    return m;
  }

  private static int n(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }

  private static void run(RawPeer client, RawPeer worker, long taskId, Result.Status outcome) throws Exception {
    client.submit(taskId);
    worker.answerNext(outcome);
    assertEquals(taskId, client.next(Result.class).taskId());
  }

  @Test
  void everyPeriodALineSaysWhatWasAnsweredWhatThePoolIsAndTheLatency() throws Exception {
    try (LogCapture log = LogCapture.of("io.antpool.server.impl.PoolSummary", Level.INFO);
        TestServer server = TestServer.start(Vertx.vertx(), new ServerVerticle(Duration.ofMillis(300)),
            new JsonObject())) {
      RawPeer first = server.worker();
      RawPeer client = server.client();
      run(client, first, 1, Result.Status.VALUE);
      run(client, first, 2, Result.Status.VALUE);
      run(client, first, 3, Result.Status.ERROR);
      client.submit(4);
      first.next(Dispatch.class);
      first.ws.close(); // lost with task 4, which runs again on the next worker
      server.worker().answerNext(Result.Status.VALUE);
      assertEquals(4L, client.next(Result.class).taskId());

      // the lines cover the periods in turn: together they count every task once
      int completed = 0;
      int failed = 0;
      int rerun = 0;
      boolean latencySeen = false;
      while (completed < 3 || failed < 1 || rerun < 1) {
        Matcher line = parse(log.next());
        completed += n(line, 1);
        failed += n(line, 2);
        rerun += n(line, 3);
        Matcher latency = LATENCY.matcher(line.group(9));
        if (latency.matches()) {
          latencySeen = true;
          assertTrue(Double.parseDouble(latency.group(1)) <= Double.parseDouble(latency.group(2)), line.group());
        } else {
          assertEquals(0, n(line, 1) + n(line, 2), "a period that answered tasks has their latency: "
              + line.group());
        }
      }
      assertEquals(3, completed);
      assertEquals(1, failed);
      assertEquals(1, rerun);
      assertTrue(latencySeen, "some line gives the latency");

      // nothing happens any more: the next line shows the pool at rest
      Matcher quiet = parse(log.next());
      assertEquals("completed 0, failed 0, rerun 0; workers 1, slots 1, busy 0, queued 0, clients 1; no task"
          + " answered by a worker", quiet.group().substring("last 300 ms: ".length()));
    }
  }
}
