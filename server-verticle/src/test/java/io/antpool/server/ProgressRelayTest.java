package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.antpool.TaskProgress;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A running task's progress over a real port: the worker's report reaches the client under the client's task
 * id, in order with the result, and shows in the status API's row of the worker slot running the task until
 * the task ends; the server keeps messages to the documented length.
 */
class ProgressRelayTest {
  private static final byte[] TASK = {1, 2, 3};

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(new JsonObject());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void progressReachesTheClientUnderItsTaskIdAndTheStatusRowOfTheSlotUntilTheResult() throws Exception {
    Running run = running(7);
    RawPeer worker = run.worker();
    RawPeer client = run.client();
    String slot = run.slot();
    long serverId = run.serverId();
    assertNull(task(slot).getValue("progress"), "no report yet");

    worker.send(Frame.of(new Progress(serverId, 2, 5, "two of five")));

    assertEquals(new Progress(7, 2, 5, "two of five"), client.next(Progress.class));
    assertEquals(new JsonObject().put("done", 2L).put("total", 5L).put("message", "two of five"),
        task(slot).getJsonObject("progress"));

    worker.send(Frame.of(new Progress(serverId, 3, 0, null)));
    worker.send(Frame.of(Result.value(serverId, "w")));
    assertEquals(new Progress(7, 3, 0, null), client.next(Progress.class));
    assertEquals(7L, client.next(Result.class).taskId(), "the result comes after the report sent before it");
    assertNull(statusOf(slot).getValue("task"), "the slot's row shows no task once it answered");
  }

  @Test
  void aMessageOverTheLimitReachesTheClientCutToIt() throws Exception {
    Running run = running(1);

    run.worker().send(Frame.of(new Progress(run.serverId(), 1, 2, "m".repeat(5_000))));

    assertEquals("m".repeat(TaskProgress.MAX_MESSAGE_CHARS), run.client().next(Progress.class).message());
  }

  @Test
  void progressFromAClientIsAWrongRole() throws Exception {
    RawPeer client = server.connect();
    client.helloAsClient();

    client.send(Frame.of(new Progress(1, 1, 2, null)));

    ErrorReply e = client.nextError();
    assertEquals(ErrorCode.WRONG_ROLE, e.code());
  }

  /** A worker slot and a client whose task {@code clientTaskId} the slot runs under the server's id. */
  private record Running(RawPeer worker, RawPeer client, String slot, long serverId) {
  }

  private Running running(long clientTaskId) throws Exception {
    RawPeer worker = server.connect();
    String slot = "antpool.slot." + worker.helloAsWorker();
    RawPeer client = server.connect();
    client.helloAsClient();
    client.send(Frame.of(new Submit(clientTaskId, TaskKind.CALLABLE, 0), TASK));
    return new Running(worker, client, slot, worker.next(Dispatch.class).taskId());
  }

  private JsonObject statusOf(String slot) throws Exception {
    return DashboardApiTest.worker(server.getJson("/antadmin/api/status"), slot);
  }

  private JsonObject task(String slot) throws Exception {
    return statusOf(slot).getJsonObject("task");
  }
}
