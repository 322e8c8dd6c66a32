package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose connection drops keeps its session for the grace period: its tasks go on, results produced
 * meanwhile wait for it, and it resumes by naming its session and the tasks it awaits. A client that does not
 * come back in time loses its session: queued tasks are dropped, running ones interrupted.
 */
class ClientResumeTest {
  private static final long GRACE_MILLIS = 1_500;
  private static final byte[] TASK = {1, 2, 3};
  private static final byte[] VALUE = {42, 43};

  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(new JsonObject().put("clientGraceMillis", GRACE_MILLIS));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private RawPeer connect() throws Exception {
    return server.connect();
  }

  private static Hello resuming(String session, Long... awaiting) {
    return new Hello(Role.CLIENT, Protocol.VERSION, RawPeer.PEER, RawPeer.localToken())
        .resuming(new Hello.Resume(session, List.of(awaiting)));
  }

  private Optional<JsonObject> clientStatus(String session) throws Exception {
    return server.getJson("/antadmin/api/status").getJsonArray("clients").stream()
        .map(JsonObject.class::cast).filter(c -> c.getString("id").equals(session)).findFirst();
  }

  /**
   * Closes the client's connection as a drop, not a goodbye: with a code of its own (as a client that found the
   * server silent does), so the server keeps the session. Returns once the connection is closed; the server
   * handles the close before this side can see the TCP connection end, so its session is away by then.
   */
  private void drop(RawPeer client, String session) throws Exception {
    client.ws.close(CloseCodes.SILENT);
    client.closed.get(30, TimeUnit.SECONDS);
    assertFalse(clientStatus(session).orElseThrow().getBoolean("connected"), "the session waits, detached");
  }

  /** A worker with one slot, and a client whose task 1 that slot runs; more tasks queue behind it. */
  private record OneRunning(RawPeer worker, RawPeer client, String session, Dispatch dispatch) {
  }

  private OneRunning oneRunning(long... queuedAfter) throws Exception {
    RawPeer worker = connect();
    worker.helloAsWorker();
    RawPeer client = connect();
    String session = client.helloAsClient();
    client.send(Frame.of(new Submit(1, TaskKind.CALLABLE, 0), TASK));
    for (long id : queuedAfter) {
      client.send(Frame.of(new Submit(id, TaskKind.CALLABLE, 0), TASK));
    }
    return new OneRunning(worker, client, session, worker.next(Dispatch.class));
  }

  @Test
  void aResumingClientGetsTheResultProducedMeanwhileAndResendsOnlyWhatTheServerLacks() throws Exception {
    OneRunning run = oneRunning();
    RawPeer worker = run.worker();
    String session = run.session();
    Dispatch dispatch = run.dispatch();

    drop(run.client(), session);
    worker.send(Frame.of(new Result(dispatch.taskId(), Result.Status.VALUE, null, null, null), VALUE));
    assertTrue(clientStatus(session).isPresent(), "the session is kept while its client is away");

    RawPeer back = connect();
    Welcome welcome = back.hello(resuming(session, 1L, 2L)); // 2: a submit the server never received
    assertEquals(session, welcome.sessionId(), "the same session");
    assertEquals(List.of(2L), welcome.resend(), "only the task the server does not hold is submitted again");
    Frame held = back.next();
    Result result = (Result) held.header();
    assertEquals(1L, result.taskId());
    assertEquals(Result.Status.VALUE, result.status());
    assertArrayEquals(VALUE, held.payload().getBytes());
    assertTrue(clientStatus(session).orElseThrow().getBoolean("connected"));
  }

  @Test
  void onlyTheLatestProgressOfATaskIsHeldForAnAwayClientAndItComesBeforeTheResult() throws Exception {
    OneRunning run = oneRunning();
    long running = run.dispatch().taskId();

    drop(run.client(), run.session());
    for (int i = 1; i <= 50; i++) {
      run.worker().send(Frame.of(new Progress(running, i, 50, "step " + i)));
    }
    run.worker().send(Frame.of(new Result(running, Result.Status.VALUE, null, null, null), VALUE));
    RawPeer back = connect();
    back.hello(resuming(run.session(), 1L));

    assertEquals(new Progress(1, 50, 50, "step 50"), back.next(Progress.class), "one report, the latest");
    assertEquals(1L, back.next(Result.class).taskId());
  }

  @Test
  void aClientAwayLongerThanTheGracePeriodLosesItsSessionAndItsRunningTaskIsInterrupted() throws Exception {
    OneRunning run = oneRunning(2); // one slot: task 2 queues
    RawPeer worker = run.worker();
    String session = run.session();
    Dispatch running = run.dispatch();

    drop(run.client(), session);
    Cancel cancel = worker.next(Cancel.class); // sent when the grace period ends
    assertEquals(running.taskId(), cancel.taskId());
    assertTrue(cancel.interrupt(), "a running task of a session that ended is interrupted");
    assertFalse(clientStatus(session).isPresent(), "the session has ended");

    worker.send(Frame.of(new Result(running.taskId(), Result.Status.VALUE, null, null, null), VALUE));
    JsonObject status = server.getJson("/antadmin/api/status");
    assertEquals(0, status.getInteger("queueDepth"), "the queued task was dropped: " + status.encodePrettily());

    RawPeer late = connect();
    Welcome welcome = late.hello(resuming(session, 1L, 2L));
    assertNotEquals(session, welcome.sessionId(), "a new session: the client must submit its tasks again");
    assertTrue(welcome.resend().isEmpty());
  }

  @Test
  void aTaskTheClientNoLongerAwaitsWhenItResumesIsCancelled() throws Exception {
    OneRunning run = oneRunning();
    String session = run.session();

    drop(run.client(), session);
    RawPeer back = connect();
    assertEquals(session, back.hello(resuming(session)).sessionId()); // cancelled while it was away
    Cancel cancel = run.worker().next(Cancel.class);
    assertEquals(run.dispatch().taskId(), cancel.taskId());
    assertTrue(cancel.interrupt());
  }

  @Test
  void aClientThatClosesNormallyLeavesAtOnceWithoutAGracePeriod() throws Exception {
    server.close();
    // a grace period longer than RawPeer.next waits: the cancel can only come from the session ending at once
    server = TestServer.start(new JsonObject().put("clientGraceMillis", 120_000));
    OneRunning run = oneRunning();
    run.client().ws.close(); // 1000: its program closed it
    Cancel cancel = run.worker().next(Cancel.class);
    assertEquals(run.dispatch().taskId(), cancel.taskId());
    assertFalse(clientStatus(run.session()).isPresent(), "the session ended with the connection");
  }

  @Test
  void resumingOnANewConnectionClosesTheOldOneStillOpen() throws Exception {
    RawPeer client = connect();
    String session = client.helloAsClient();
    RawPeer second = connect();
    assertEquals(session, second.hello(resuming(session)).sessionId());
    // the server closes the old TCP connection, and handles that close, before this side can see it closed
    assertEquals(CloseCodes.REPLACED, client.closed.get(30, TimeUnit.SECONDS));
    assertTrue(clientStatus(session).orElseThrow().getBoolean("connected"),
        "the old connection's close does not detach the session from the new one");
  }
}
