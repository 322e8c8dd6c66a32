package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's API over a real port (docs/api.md): the status report's per-worker figures and running task,
 * the task stream, the event log, the throughput history, and the live feed that carries them to open pages.
 */
class DashboardApiTest {
  private static final byte[] TASK = new byte[100];
  private static final byte[] VALUE = new byte[10];

  private TestServer server;
  private LiveStream live;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(new JsonObject());
  }

  @AfterEach
  void stop() throws Exception {
    if (live != null) {
      live.close();
    }
    server.close();
  }

  @Test
  void thePoolReachesAnOpenPageAsASnapshotThenUpdates() throws Exception {
    live = LiveStream.open(server.vertx, server.port);
    assertEquals("text/event-stream; charset=utf-8", live.response.getHeader("Content-Type"));
    JsonObject snapshot = live.next("snapshot");
    assertEquals(0, snapshot.getJsonObject("status").getJsonArray("workers").size());
    assertTrue(snapshot.getJsonObject("history").containsKey("completed"), snapshot.encode());

    RawPeer worker = server.connect();
    String slot = "antpool.slot." + worker.helloAsWorker();
    RawPeer client = server.connect();
    String session = client.helloAsClient();
    client.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0), TASK));
    Dispatch first = worker.next(Dispatch.class);

    JsonObject running = worker(server.getJson("/antadmin/api/status"), slot);
    JsonObject task = running.getJsonObject("task");
    assertEquals(first.taskId(), task.getLong("taskId"));
    assertEquals(session, task.getString("client"));
    assertTrue(task.getLong("startedAt") > 0, task.encode());

    worker.send(Frame.of(new Result(first.taskId(), Result.Status.VALUE, null, null, null).withCpuNanos(7_000_000),
        VALUE));
    client.next(Result.class);
    JsonObject update = updateWithTask(first.taskId());
    JsonObject span = taskIn(update.getJsonArray("tasks"), first.taskId());
    assertEquals("VALUE", span.getString("status"));
    assertEquals(slot, span.getString("worker"));
    assertEquals(session, span.getString("client"));
    assertTrue(span.getLong("endedAt") >= span.getLong("startedAt"), span.encode());
    JsonObject status = update.getJsonObject("status");
    assertEquals(1, status.getJsonObject("tasks").getLong("completed"));
    assertTrue(status.getLong("now") >= span.getLong("endedAt"), status.encode());
    JsonObject idle = worker(status, slot);
    assertEquals(null, idle.getValue("task"), "an idle slot runs no task");
    assertEquals(7, idle.getLong("cpuTimeMillis"));
    assertEquals(TASK.length, idle.getLong("bytesOut"));
    assertEquals(VALUE.length, idle.getLong("bytesIn"));

    client.send(Frame.of(new Submit(2, TaskKind.CALLABLE, 0), TASK));
    Dispatch second = worker.next(Dispatch.class);
    worker.send(Frame.of(new Result(second.taskId(), Result.Status.ERROR, "java.lang.IllegalStateException",
        "boom", null), VALUE));
    client.next(Result.class);
    update = updateWithTask(second.taskId());
    assertEquals("ERROR", taskIn(update.getJsonArray("tasks"), second.taskId()).getString("status"));
    assertTrue(update.getJsonArray("tasks").stream().noneMatch(t -> ((JsonObject) t).getLong("taskId")
        == first.taskId()), "an update carries only the runs that ended since the previous one");

    JsonObject events = server.getJson("/antadmin/api/events");
    List<String> kinds = new ArrayList<>();
    events.getJsonArray("events").forEach(e -> kinds.add(((JsonObject) e).getString("kind")));
    assertEquals(List.of("worker-joined", "client-joined", "task-failed"), kinds);
    String failure = events.getJsonArray("events").getJsonObject(2).getString("text");
    assertTrue(failure.contains("task " + second.taskId()) && failure.contains("boom"), failure);

    JsonObject history = server.getJson("/antadmin/api/history");
    assertEquals(1, sum(history.getJsonArray("completed")), history.encode());
    assertEquals(1, sum(history.getJsonArray("failed")), history.encode());
    assertEquals(1000, history.getLong("intervalMillis"));
  }

  @Test
  void aCompressedFeedStillArrivesUpdateByUpdate() throws Exception {
    HttpClient http = server.vertx.createHttpClient();
    try {
      String encoding = http.request(HttpMethod.GET, server.port, "127.0.0.1", "/antadmin/api/live")
          .compose(req -> req.putHeader("Accept-Encoding", "gzip").send())
          .map(resp -> resp.getHeader("Content-Encoding"))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals("gzip", encoding, "browsers ask for gzip, and get it");
    } finally {
      http.close();
    }
    live = LiveStream.open(server.vertx, server.port, true); // asks for gzip, reads it decompressed
    live.next("snapshot");
    RawPeer worker = server.connect();
    worker.helloAsWorker();
    RawPeer client = server.connect();
    client.helloAsClient();
    client.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0), TASK));
    Dispatch d = worker.next(Dispatch.class);
    worker.send(Frame.of(new Result(d.taskId(), Result.Status.VALUE, null, null, null), VALUE));
    // each update is flushed through the compressor as it is written, not held until a buffer fills
    assertEquals("VALUE", taskIn(updateWithTask(d.taskId()).getJsonArray("tasks"), d.taskId()).getString("status"));
  }

  @Test
  void theTaskStreamAndEventLogAreReadFromWhereTheReaderLeftOff() throws Exception {
    RawPeer worker = server.connect();
    worker.helloAsWorker();
    RawPeer client = server.connect();
    client.helloAsClient();
    for (long id = 1; id <= 3; id++) {
      client.send(Frame.of(new Submit(id, TaskKind.CALLABLE, 0), TASK));
      Dispatch d = worker.next(Dispatch.class);
      worker.send(Frame.of(new Result(d.taskId(), Result.Status.VALUE, null, null, null), VALUE));
      client.next(Result.class);
    }
    JsonObject all = server.getJson("/antadmin/api/tasks");
    assertEquals(3, all.getJsonArray("tasks").size());
    long last = all.getLong("last");
    assertEquals(last, all.getJsonArray("tasks").getJsonObject(2).getLong("seq"));
    JsonObject afterFirst = server.getJson("/antadmin/api/tasks?after=" + (last - 2));
    assertEquals(2, afterFirst.getJsonArray("tasks").size());
    assertEquals(0, server.getJson("/antadmin/api/tasks?after=" + last).getJsonArray("tasks").size());
    assertEquals(1, server.getJson("/antadmin/api/events?after=1").getJsonArray("events").size());
  }

  @Test
  void aBadSequenceNumberIsRefusedWithTheFix() throws Exception {
    HttpClient http = server.vertx.createHttpClient();
    try {
      for (String path : List.of("/antadmin/api/tasks?after=soon", "/antadmin/api/events?after=-1")) {
        var answer = http.request(HttpMethod.GET, server.port, "127.0.0.1", path)
            .compose(req -> req.send().compose(resp -> resp.body().map(body -> new Object[] {resp.statusCode(),
                body.toJsonObject()})))
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(400, answer[0], path);
        String error = ((JsonObject) answer[1]).getString("error");
        assertTrue(error.contains("is not a sequence number") && error.contains("\"last\""), error);
      }
    } finally {
      http.close();
    }
  }

  /** Reads updates until one carries the ended run of {@code taskId}. */
  private JsonObject updateWithTask(long taskId) throws Exception {
    while (true) {
      JsonObject update = live.next("update");
      if (taskIn(update.getJsonArray("tasks"), taskId) != null) {
        return update;
      }
    }
  }

  private static JsonObject taskIn(JsonArray tasks, long taskId) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.getJsonObject(i).getLong("taskId") == taskId) {
        return tasks.getJsonObject(i);
      }
    }
    return null;
  }

  /** The entry of worker slot {@code id} in a status report. */
  static JsonObject worker(JsonObject status, String id) {
    for (Object w : status.getJsonArray("workers")) {
      if (((JsonObject) w).getString("id").equals(id)) {
        return (JsonObject) w;
      }
    }
    throw new AssertionError("no worker " + id + " in " + status.encode());
  }

  private static long sum(JsonArray column) {
    long sum = 0;
    for (int i = 0; i < column.size(); i++) {
      sum += column.getLong(i);
    }
    return sum;
  }
}
