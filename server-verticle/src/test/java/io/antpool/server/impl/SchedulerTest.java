package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.TaskProgress;
import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.Withdrawn;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.server.ServerOptions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Scheduler} against a real Vert.x event bus, with real consumers at slot addresses standing in for
 * worker slots (each acknowledges a dispatch with an empty buffer, then records it) and {@link FrameSink}s
 * collecting what clients are sent. Checks: tasks wait while no slot exists; clients are served in turn;
 * the fastest free slot goes first; a task lost with its slot is requeued at the head of its client's queue
 * and rerun with the next attempt number, and fails as LOST after {@code maxAttempts}; duplicate task ids,
 * stale results and departed clients are handled as documented; a cancelled queued task is never dispatched,
 * and a cancelled running task is told to its slot, whose result is discarded and frees the slot.
 *
 * <p>The scheduler is confined to one event loop: every call to it (and the consumers, registered from that
 * context) runs there; the test thread only waits on queues and futures.
 */
class SchedulerTest {
  private static final long WAIT_SECONDS = 30;

  private Vertx vertx;
  private Context loop;
  private ServerStats stats;
  private Scheduler scheduler;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    stats = new ServerStats();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  // ---- the scenarios ----------------------------------------------------------------------------------

  @Test
  void tasksWaitWhileNoSlotExistsAndAreDispatchedWhenOneJoins() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    submit(a, 1, 2);
    submit(a, 2, 0);

    assertEquals(2, (int) onLoop(scheduler::queueDepth));
    assertEquals(0, (int) onLoop(scheduler::busySlots));

    TestSlot slot = slot("s1", 1.0);
    Frame first = slot.nextDispatch();
    Dispatch dispatch = (Dispatch) first.header();
    assertEquals("c-A", dispatch.session());
    assertEquals(TaskKind.CALLABLE, dispatch.kind());
    assertEquals(2, dispatch.rtype());
    assertEquals(1, dispatch.attempt());
    assertEquals("c-A:1", first.payload().toString(), "the task bytes travel unchanged");
    assertEquals(1, (int) onLoop(scheduler::queueDepth));

    slot.completeLast();
    Frame result = a.nextFrame();
    assertEquals(new Result(1, Result.Status.VALUE, null, null, "worker-s1"), result.header());
    assertEquals("value of c-A:1", result.payload().toString());
    assertEquals("c-A:2", slot.nextDispatch().payload().toString());
  }

  @Test
  void clientsTakeTurnsAndEachClientsTasksKeepTheirOrder() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestClient b = client("c-B");
    for (int i = 1; i <= 10; i++) {
      submit(a, i, 0);
    }
    for (int i = 1; i <= 10; i++) {
      submit(b, i, 0);
    }
    TestSlot slot = autoSlot("s1", 1.0);

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      order.add(slot.nextDispatch().payload().toString());
    }

    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      expected.add("c-A:" + i);
      expected.add("c-B:" + i);
    }
    assertEquals(expected, order);
    for (TestClient c : List.of(a, b)) {
      for (int i = 1; i <= 10; i++) {
        Frame result = c.nextFrame();
        assertEquals(Result.value(i, "worker-s1"), result.header(), c.id);
        assertEquals("value of " + c.id + ":" + i, result.payload().toString());
      }
    }
  }

  @Test
  void theFastestFreeSlotGetsTheNextTask() throws Exception {
    newScheduler(3);
    TestSlot slow = slot("slow", 1.0);
    TestSlot fast = slot("fast", 5.0);
    TestClient a = client("c-A");

    submit(a, 1, 0);
    assertEquals("c-A:1", fast.nextDispatch().payload().toString());

    submit(a, 2, 0);
    assertEquals("c-A:2", slow.nextDispatch().payload().toString());
    assertEquals(2, (int) onLoop(scheduler::busySlots));

    fast.completeLast();
    assertEquals(Result.value(1, "worker-fast"), a.nextFrame().header());
    submit(a, 3, 0);
    assertEquals("c-A:3", fast.nextDispatch().payload().toString(), "the fast slot is free again");
  }

  @Test
  void amongEquallyFastSlotsTheFirstToJoinGoesFirst() throws Exception {
    newScheduler(3);
    TestSlot early = slot("early", 2.0);
    TestSlot late = slot("late", 2.0);
    TestClient a = client("c-A");

    submit(a, 1, 0);
    submit(a, 2, 0);

    assertEquals("c-A:1", early.nextDispatch().payload().toString());
    assertEquals("c-A:2", late.nextDispatch().payload().toString());
  }

  @Test
  void aTaskLostWithItsSlotIsRequeuedAtTheHeadAndRunAgainWithTheNextAttempt() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 1, 0);
    submit(a, 2, 0);
    Dispatch firstRun = (Dispatch) s1.nextDispatch().header();
    assertEquals(1, firstRun.attempt());

    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));
    assertEquals(2, (int) onLoop(scheduler::queueDepth));

    TestSlot s2 = slot("s2", 1.0);
    Frame rerun = s2.nextDispatch();
    Dispatch secondRun = (Dispatch) rerun.header();
    assertEquals(firstRun.taskId(), secondRun.taskId());
    assertEquals(2, secondRun.attempt());
    assertEquals("c-A:1", rerun.payload().toString(), "the lost task goes before the client's other tasks");

    s2.completeLast();
    assertEquals(Result.value(1, "worker-s2"), a.nextFrame().header());
    Frame next = s2.nextDispatch();
    assertEquals("c-A:2", next.payload().toString());
    assertEquals(1, ((Dispatch) next.header()).attempt());
    assertEquals(1L, (long) onLoop(() -> stats.rerun));
  }

  @Test
  void aTaskLostMaxAttemptsTimesFailsAsLostNamingTheWorkers() throws Exception {
    newScheduler(2);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 5, 0);
    s1.nextDispatch();
    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));
    TestSlot s2 = slot("s2", 1.0);
    assertEquals(2, ((Dispatch) s2.nextDispatch().header()).attempt());

    onLoop(() -> scheduler.removeSlot(s2.address, "test: worker died"));

    Frame frame = a.nextFrame();
    Result lost = assertInstanceOf(Result.class, frame.header());
    assertEquals(5, lost.taskId());
    assertEquals(Result.Status.LOST, lost.status());
    assertEquals("io.antpool.WorkerLostException", lost.errorClass());
    assertTrue(lost.errorMessage().contains("(worker-s1, worker-s2)"), lost.errorMessage());
    assertTrue(lost.errorMessage().contains("2 attempt(s) of at most 2"), lost.errorMessage());
    assertTrue(lost.errorMessage().contains("maxAttempts"), lost.errorMessage());
    assertEquals("worker-s1, worker-s2", lost.worker());
    assertEquals(0, frame.payload().length());
    assertEquals(0, (int) onLoop(scheduler::queueDepth));

    TestSlot s3 = slot("s3", 1.0);
    submit(a, 5, 0);
    assertEquals("c-A:5", s3.nextDispatch().payload().toString(), "the id of a finished task may be reused");
  }

  @Test
  void aDuplicateTaskIdIsRefusedForThatTaskOnly() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    submit(a, 7, 0);
    submit(a, 7, 0);

    ErrorReply error = assertInstanceOf(ErrorReply.class, a.nextFrame().header());
    assertEquals(ErrorCode.DUPLICATE_TASK, error.code());
    assertEquals(7L, error.taskId());
    assertTrue(error.message().contains("task id 7 is already in flight"), error.message());
    assertEquals(1, (int) onLoop(scheduler::queueDepth), "the first task 7 stays queued");

    TestSlot slot = autoSlot("s1", 1.0);
    assertEquals("c-A:7", slot.nextDispatch().payload().toString());
    assertEquals(Result.value(7, "worker-s1"), a.nextFrame().header());
    submit(a, 7, 0);
    assertEquals("c-A:7", slot.nextDispatch().payload().toString(), "once answered, the id is free again");
  }

  @Test
  void anUnknownIsolationModeIsRefusedForThatTask() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    submit(a, 1, 3);

    ErrorReply error = assertInstanceOf(ErrorReply.class, a.nextFrame().header());
    assertEquals(ErrorCode.BAD_FRAME, error.code());
    assertEquals(1L, error.taskId());
    assertTrue(error.message().contains("rtype 3"), error.message());
    assertEquals(0, (int) onLoop(scheduler::queueDepth));

    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 1);
    assertEquals(1, ((Dispatch) slot.nextDispatch().header()).rtype(), "the refused id may be used again");
  }

  @Test
  void aResultFromASlotThatNoLongerOwnsTheTaskIsIgnored() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 1, 0);
    long taskId = ((Dispatch) s1.nextDispatch().header()).taskId();
    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));
    TestSlot s2 = slot("s2", 1.0);
    assertEquals(taskId, ((Dispatch) s2.nextDispatch().header()).taskId());
    TestSlot idle = slot("idle", 1.0);

    onLoop(() -> scheduler.onResult(s1.address, Result.value(taskId, "worker-s1"), Buffer.buffer("stale")));
    onLoop(() -> scheduler.onResult(idle.address, Result.value(taskId, "worker-idle"), Buffer.buffer("wrong")));
    onLoop(() -> scheduler.onResult(s2.address, Result.value(taskId, "worker-s2"), Buffer.buffer("right")));

    Frame only = a.nextFrame();
    assertEquals(Result.value(1, "worker-s2"), only.header());
    assertEquals("right", only.payload().toString());
    onLoop(() -> scheduler.onResult(s2.address, Result.value(taskId, "worker-s2"), Buffer.buffer("again")));
    assertEquals(0, (int) onLoop(scheduler::busySlots), "the idle slot was not made busy by a stray result");
    assertEquals(1L, (long) onLoop(() -> stats.completed), "the task completed exactly once");
    assertTrue(a.frames.isEmpty(), "nothing but the one result: " + a.frames);
  }

  @Test
  void aDepartedClientsQueuedTasksAreDropped() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestClient b = client("c-B");
    submit(a, 1, 0);
    submit(a, 2, 0);
    submit(a, 3, 0);

    onLoop(() -> scheduler.removeClient(a.session));
    assertEquals(0, (int) onLoop(scheduler::queueDepth));
    assertEquals(3L, (long) onLoop(() -> stats.cancelled));
    assertEquals(List.of(b.session), onLoop(() -> List.copyOf(scheduler.clients())));

    TestSlot slot = slot("s1", 1.0);
    submit(b, 1, 0);
    assertEquals("c-B:1", slot.nextDispatch().payload().toString(), "none of A's tasks was dispatched first");
    submit(a, 4, 0);
    assertEquals(0, (int) onLoop(scheduler::queueDepth), "a departed client cannot submit");
    assertTrue(a.frames.isEmpty(), a.frames.toString());
  }

  @Test
  void theResultOfADepartedClientsRunningTaskIsDiscardedAndTheSlotFreed() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestClient b = client("c-B");
    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 0);
    slot.nextDispatch();

    onLoop(() -> scheduler.removeClient(a.session));
    slot.completeLast();
    submit(b, 1, 0);

    assertEquals("c-B:1", slot.nextDispatch().payload().toString());
    assertTrue(a.frames.isEmpty(), a.frames.toString());
  }

  @Test
  void aSlotThatDoesNotAcceptADispatchIsDroppedAndTheTaskRerunElsewhere() throws Exception {
    newScheduler(3);
    String dead = Protocol.BUS_SLOT_PREFIX + "nobody-home";
    onLoop(() -> scheduler.addSlot(dead, peer("dead", 9.0), "127.0.0.1", WorkerKind.EMBEDDED));
    TestSlot live = slot("live", 1.0);
    TestClient a = client("c-A");

    submit(a, 1, 0);

    Dispatch rerun = (Dispatch) live.nextDispatch().header();
    assertEquals(2, rerun.attempt(), "the first attempt went to the faster slot, which had no consumer");
    assertEquals(List.of(live.address), onLoop(() -> scheduler.slots().stream().map(s -> s.address).toList()));
  }

  @Test
  void aSlotThatRegistersAgainUnderItsAddressIsOneSlot() throws Exception {
    newScheduler(3);
    TestSlot slot = autoSlot("s1", 1.0);
    // a bus worker retries its registration when the reply to the first one was lost
    onLoop(() -> scheduler.addSlot(slot.address, peer("worker-s1", 1.0), "127.0.0.1", WorkerKind.EMBEDDED));

    assertEquals(1, (int) onLoop(() -> scheduler.slots().size()));
    assertEquals(0, (int) onLoop(scheduler::busySlots));
    TestClient a = client("c-A");
    submit(a, 1, 0);
    submit(a, 2, 0);
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());
    assertEquals(Result.value(2, "worker-s1"), a.nextFrame().header());
  }

  @Test
  void aSlotThatRegistersAgainWhileRunningATaskGetsItAgain() throws Exception {
    newScheduler(3);
    TestSlot slot = slot("s1", 1.0);
    TestClient a = client("c-A");
    submit(a, 1, 0);
    long taskId = ((Dispatch) slot.nextDispatch().header()).taskId();

    // the worker restarted its link: whatever it was running is gone with the old registration
    onLoop(() -> scheduler.addSlot(slot.address, peer("worker-s1", 1.0), "127.0.0.1", WorkerKind.EMBEDDED));

    Dispatch again = (Dispatch) slot.nextDispatch().header();
    assertEquals(taskId, again.taskId());
    assertEquals(2, again.attempt());
    slot.completeLast();
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());
  }

  @Test
  void aQueuedTaskCancelledByItsClientIsNeverDispatched() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 0);
    submit(a, 2, 0);
    assertEquals("c-A:1", slot.nextDispatch().payload().toString());

    cancel(a, 2, false);
    assertEquals(0, (int) onLoop(scheduler::queueDepth));
    submit(a, 3, 0);
    slot.completeLast();

    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());
    assertEquals("c-A:3", slot.nextDispatch().payload().toString(), "task 2 was dropped from the queue");
    slot.completeLast();
    assertEquals(Result.value(3, "worker-s1"), a.nextFrame().header());
    assertTrue(slot.cancels.isEmpty(), "no worker held task 2: " + slot.cancels);
    assertTrue(a.frames.isEmpty(), "nothing about the cancelled task: " + a.frames);
    assertEquals(1L, (long) onLoop(() -> stats.cancelled));
    assertEquals(1L, (long) onLoop(() -> a.session.cancelled));
  }

  @Test
  void aWithdrawingClientGetsItsQueuedTasksBackAndItsRunningTaskInterruptedButStillAnswered() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestClient b = client("c-B");
    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 0);
    long running = ((Dispatch) slot.nextDispatch().header()).taskId();
    submit(a, 2, 0);
    submit(b, 7, 0);
    submit(a, 3, 0);

    onLoop(() -> scheduler.withdraw(a.session));

    assertEquals(new Withdrawn(List.of(2L, 3L)), a.nextFrame().header(), "a's queued tasks, in order");
    assertEquals(new Cancel(running, true), slot.nextCancel(), "a's running task is interrupted");
    assertEquals(1, (int) onLoop(scheduler::queueDepth), "b's task stays queued");
    slot.completeLast();
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header(), "the running task still answers");
    assertEquals("c-B:7", slot.nextDispatch().payload().toString(), "then the slot serves b");
    assertEquals(2L, (long) onLoop(() -> a.session.cancelled));
  }

  @Test
  void aDrainingSlotFinishesItsTaskThenGetsNoOther() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot draining = slot("s1", 9.0); // the faster: it would get every task
    submit(a, 1, 0);
    draining.nextDispatch();
    submit(a, 2, 0);

    onLoop(() -> scheduler.drainSlot(draining.address));
    draining.completeLast();

    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header(), "its task ends normally");
    assertEquals(1, (int) onLoop(scheduler::queueDepth), "task 2 waits: the draining slot takes nothing");
    TestSlot other = slot("s2", 1.0);
    assertEquals("c-A:2", other.nextDispatch().payload().toString());
    assertTrue(draining.dispatches.isEmpty(), "no dispatch for a draining slot: " + draining.dispatches);
  }

  @Test
  void aRunningTaskCancelledIsStoppedOnItsSlotWhichIsFreedByItsDiscardedResult() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 0);
    long serverId = ((Dispatch) slot.nextDispatch().header()).taskId();
    submit(a, 2, 0);

    cancel(a, 1, true);

    assertEquals(new Cancel(serverId, true), slot.nextCancel(), "the slot is told under the server's id");
    assertEquals(1, (int) onLoop(scheduler::busySlots), "busy until the worker reports the slot free");
    assertEquals(1, (int) onLoop(scheduler::queueDepth), "task 2 waits for the slot");
    assertTrue(slot.dispatches.isEmpty(), "task 2 waits for the slot: " + slot.dispatches);

    // the interrupted task ends with an exception: its result frees the slot and goes nowhere
    onLoop(() -> scheduler.onResult(slot.address, new Result(serverId, Result.Status.ERROR,
        "java.lang.InterruptedException", "sleep interrupted", "worker-s1"), Buffer.buffer("interrupted")));
    assertEquals("c-A:2", slot.nextDispatch().payload().toString());
    slot.completeLast();
    assertEquals(Result.value(2, "worker-s1"), a.nextFrame().header());
    assertTrue(a.frames.isEmpty(), "nothing about the cancelled task: " + a.frames);
    assertEquals(0L, (long) onLoop(() -> stats.failed), "a cancelled task's result counts as nothing");
    assertEquals(1L, (long) onLoop(() -> stats.cancelled));
  }

  @Test
  void aWebSocketSlotIsWrittenItsFramesDirectlyInTheOrderSentAndNothingOnTheBus() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    String address = Protocol.BUS_SLOT_PREFIX + "ws-1";
    List<Buffer> onBus = new ArrayList<>();
    MessageConsumer<Buffer> bus = onLoop(() -> vertx.eventBus().<Buffer>consumer(address, m -> onBus.add(m.body())));
    bus.completion().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    List<Frame> written = new ArrayList<>(); // touched on the loop only: the socket is written on it
    onLoop(() -> scheduler.addSlot(address, peer("worker-ws", 1.0), "127.0.0.1", WorkerKind.WEBSOCKET,
        wire -> written.add(Frame.decode(wire))));

    submit(a, 1, 0);
    cancel(a, 1, true);

    List<Frame> frames = onLoop(() -> List.copyOf(written));
    assertEquals(2, frames.size(), "written at once, on the scheduler's turn: " + frames);
    long serverId = ((Dispatch) frames.get(0).header()).taskId();
    assertEquals("c-A:1", frames.get(0).payload().toString());
    assertEquals(new Cancel(serverId, true), frames.get(1).header(), "the cancel follows its dispatch");
    onLoop(() -> { }); // a frame sent on the bus would have been delivered on the loop by now
    assertTrue(onLoop(onBus::isEmpty), "nothing went to the slot's bus address: " + onLoop(() -> List.copyOf(onBus)));
  }

  @Test
  void aCancelWithoutInterruptIsPassedOnAsSuchAndAValueOfTheTaskIsDiscarded() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot slot = slot("s1", 1.0);
    submit(a, 1, 0);
    slot.nextDispatch();

    cancel(a, 1, false);

    assertEquals(false, slot.nextCancel().interrupt());
    slot.completeLast();
    submit(a, 2, 0);
    assertEquals("c-A:2", slot.nextDispatch().payload().toString());
    slot.completeLast();
    assertEquals(Result.value(2, "worker-s1"), a.nextFrame().header(), "task 1's value was not forwarded");
    assertEquals(1L, (long) onLoop(() -> stats.completed));
  }

  @Test
  void aCancelledTaskWhoseSlotIsLostIsNotRerun() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 1, 0);
    s1.nextDispatch();
    cancel(a, 1, true);
    s1.nextCancel();

    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));

    assertEquals(0, (int) onLoop(scheduler::queueDepth));
    TestSlot s2 = slot("s2", 1.0);
    submit(a, 2, 0);
    Frame next = s2.nextDispatch();
    assertEquals("c-A:2", next.payload().toString());
    assertEquals(1, ((Dispatch) next.header()).attempt());
    assertEquals(0L, (long) onLoop(() -> stats.rerun));
    assertTrue(a.frames.isEmpty(), "no LOST result for a cancelled task: " + a.frames);
  }

  @Test
  void aCancelOfAnUnknownOrFinishedTaskIsIgnored() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot slot = slot("s1", 1.0);
    cancel(a, 99, true);
    submit(a, 1, 0);
    slot.nextDispatch();
    slot.completeLast();
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());

    cancel(a, 1, true);
    cancel(a, 99, false);

    submit(a, 2, 0);
    assertEquals("c-A:2", slot.nextDispatch().payload().toString());
    assertTrue(slot.cancels.isEmpty(), "no cancel reached the slot: " + slot.cancels);
    assertEquals(0L, (long) onLoop(() -> stats.cancelled));
    assertTrue(a.frames.isEmpty(), "no reply to a cancel: " + a.frames);
  }

  // ---- routing: tags, spread, broadcast ---------------------------------------------------------------

  @Test
  void aTaskRequiringTagsRunsOnlyOnASlotCarryingThemAll() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot us = taggedSlot("us", 9.0, "10.0.0.1", Map.of("region", "us", "gpu", ""));
    TestSlot eu = taggedSlot("eu", 1.0, "10.0.0.2", Map.of("region", "eu", "gpu", ""));

    submit(a, 1, Map.of("region", "eu", "gpu", ""), false, null);

    assertEquals("c-A:1", eu.nextDispatch().payload().toString(), "the slower slot, as only it matches");
    assertTrue(us.dispatches.isEmpty(), "the faster slot lacks region=eu: " + us.dispatches);
    eu.completeLast();
    assertEquals(Result.value(1, "worker-eu"), a.nextFrame().header());
  }

  @Test
  void anUnmatchedTaskWaitsWithoutHoldingUpTheTasksBehindItOrOtherClients() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestClient b = client("c-B");
    TestSlot us = autoSlot("us", 1.0);

    submit(a, 1, Map.of("region", "eu"), false, null);
    submit(a, 2, Map.of(), false, null);
    submit(a, 3, Map.of(), false, null);
    submit(b, 1, Map.of(), false, null);

    Set<String> ran = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      ran.add(us.nextDispatch().payload().toString());
    }
    assertEquals(Set.of("c-A:2", "c-A:3", "c-B:1"), ran, "everything but the task requiring region=eu ran");
    assertEquals(1, (int) onLoop(scheduler::queueDepth), "the unmatched task waits in the queue");

    TestSlot eu = taggedSlot("eu", 1.0, "10.0.0.2", Map.of("region", "eu"));
    assertEquals("c-A:1", eu.nextDispatch().payload().toString(), "it runs as soon as a matching slot joins");
    assertEquals(0, (int) onLoop(scheduler::queueDepth));
  }

  @Test
  void withinOneSetOfTagsTasksKeepTheirOrder() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    for (int i = 1; i <= 4; i++) {
      submit(a, i, i % 2 == 0 ? Map.of("gpu", "") : Map.of(), false, null);
    }
    TestSlot gpu = slot("gpu", 1.0, true, "10.0.0.1", Map.of("gpu", ""));

    List<String> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(gpu.nextDispatch().payload().toString());
    }
    assertEquals(List.of("c-A:1", "c-A:2", "c-A:3", "c-A:4"), order, "a slot meeting every lane takes FIFO");
  }

  @Test
  void withoutSpreadTasksGoToTheFastestSlotsWhateverTheirHost() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot h1a = taggedSlot("h1a", 4.0, "10.0.0.1", Map.of());
    TestSlot h1b = taggedSlot("h1b", 3.0, "10.0.0.1", Map.of());
    taggedSlot("h2a", 2.0, "10.0.0.2", Map.of());

    submit(a, 1, Map.of(), false, null);
    submit(a, 2, Map.of(), false, null);

    assertEquals("c-A:1", h1a.nextDispatch().payload().toString());
    assertEquals("c-A:2", h1b.nextDispatch().payload().toString());
  }

  @Test
  void spreadPlacesEachTaskOnTheHostRunningFewestOfTheClientsTasks() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot h1a = taggedSlot("h1a", 4.0, "10.0.0.1", Map.of());
    TestSlot h1b = taggedSlot("h1b", 3.0, "10.0.0.1", Map.of());
    TestSlot h2a = taggedSlot("h2a", 2.0, "10.0.0.2", Map.of());
    TestSlot h2b = taggedSlot("h2b", 1.0, "10.0.0.2", Map.of());

    submit(a, 1, Map.of(), true, null);
    submit(a, 2, Map.of(), true, null);
    assertEquals("c-A:1", h1a.nextDispatch().payload().toString(), "no load anywhere: the fastest slot");
    assertEquals("c-A:2", h2a.nextDispatch().payload().toString(), "host 10.0.0.1 runs one: the other host");

    submit(a, 3, Map.of(), true, null);
    submit(a, 4, Map.of(), true, null);
    assertEquals("c-A:3", h1b.nextDispatch().payload().toString(), "one each: the fastest free slot");
    assertEquals("c-A:4", h2b.nextDispatch().payload().toString());

    h1a.completeLast();
    h1b.completeLast();
    a.nextFrame();
    a.nextFrame();
    submit(a, 5, Map.of(), true, null);
    assertEquals("c-A:5", h1a.nextDispatch().payload().toString(), "10.0.0.1 now runs none, 10.0.0.2 two");
  }

  @Test
  void aBroadcastRunsOncePerSlotAndAnswersOnePartPerSlot() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = taggedSlot("s1", 3.0, "10.0.0.1", Map.of());
    TestSlot s2 = taggedSlot("s2", 2.0, "10.0.0.1", Map.of());
    TestSlot s3 = taggedSlot("s3", 1.0, "10.0.0.2", Map.of());
    submit(a, 1, Map.of(), false, null);
    assertEquals("c-A:1", s1.nextDispatch().payload().toString(), "s1 is busy when the broadcast arrives");

    submit(a, 2, Map.of(), false, BroadcastScope.SLOTS);
    assertEquals("c-A:2", s2.nextDispatch().payload().toString());
    assertEquals("c-A:2", s3.nextDispatch().payload().toString());
    s1.completeLast();
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());
    assertEquals("c-A:2", s1.nextDispatch().payload().toString(), "the busy slot takes its part once free");

    for (TestSlot s : List.of(s3, s1, s2)) {
      s.completeLast();
    }
    Map<String, Integer> partOf = new java.util.HashMap<>();
    for (int i = 0; i < 3; i++) {
      Result part = (Result) a.nextFrame().header();
      assertEquals(2, part.taskId());
      assertEquals(Result.Status.VALUE, part.status());
      assertEquals(3, part.parts());
      partOf.put(part.worker(), part.part());
    }
    assertEquals(Set.of("worker-s1", "worker-s2", "worker-s3"), partOf.keySet());
    assertEquals(Set.of(0, 1, 2), new HashSet<>(partOf.values()));
    submit(a, 2, Map.of(), false, null);
    assertEquals("c-A:2", s1.nextDispatch().payload().toString(), "the broadcast is closed: its id is free");
  }

  @Test
  void aBroadcastPartWhoseSlotIsLostAnswersLostAndIsNotRerun() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = taggedSlot("s1", 2.0, "10.0.0.1", Map.of());
    TestSlot s2 = taggedSlot("s2", 1.0, "10.0.0.2", Map.of());

    submit(a, 1, Map.of(), false, BroadcastScope.SLOTS);
    s1.nextDispatch();
    s2.nextDispatch();
    onLoop(() -> scheduler.removeSlot(s2.address, "test: worker died"));

    Result lost = (Result) a.nextFrame().header();
    assertEquals(Result.Status.LOST, lost.status());
    assertEquals("io.antpool.WorkerLostException", lost.errorClass());
    assertEquals("worker-s2", lost.worker());
    assertEquals(2, lost.parts());
    s1.completeLast();
    Result value = (Result) a.nextFrame().header();
    assertEquals(Result.Status.VALUE, value.status());
    assertEquals("worker-s1", value.worker());
    assertTrue(s1.dispatches.isEmpty(), "the lost part was not rerun on s1: " + s1.dispatches);
    assertEquals(0, (int) onLoop(scheduler::queueDepth));
  }

  @Test
  void aBroadcastPerHostRunsOnOneSlotOfEachHostMeetingItsTags() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot h1a = taggedSlot("h1a", 3.0, "10.0.0.1", Map.of("gpu", ""));
    TestSlot h1b = taggedSlot("h1b", 2.0, "10.0.0.1", Map.of("gpu", ""));
    TestSlot h2 = taggedSlot("h2", 1.0, "10.0.0.2", Map.of("gpu", ""));
    TestSlot h3 = taggedSlot("h3", 1.0, "10.0.0.3", Map.of());

    submit(a, 1, Map.of("gpu", ""), false, BroadcastScope.HOSTS);

    assertEquals("c-A:1", h1a.nextDispatch().payload().toString());
    assertEquals("c-A:1", h2.nextDispatch().payload().toString());
    h1a.completeLast();
    h2.completeLast();
    assertEquals(2, ((Result) a.nextFrame().header()).parts());
    assertEquals(2, ((Result) a.nextFrame().header()).parts());
    assertTrue(h1b.dispatches.isEmpty() && h3.dispatches.isEmpty(), "one slot per host, tags met");
  }

  @Test
  void aBroadcastWithNoTargetAnswersAtOnceWithZeroParts() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");

    submit(a, 1, Map.of(), false, BroadcastScope.SLOTS);

    assertEquals(new Result(1, Result.Status.VALUE, null, null, null, null, 0), a.nextFrame().header());
  }

  @Test
  void cancellingABroadcastDropsWaitingPartsAndCancelsRunningOnes() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = taggedSlot("s1", 2.0, "10.0.0.1", Map.of());
    TestSlot s2 = taggedSlot("s2", 1.0, "10.0.0.2", Map.of());
    submit(a, 1, Map.of(), false, null);
    assertEquals("c-A:1", s1.nextDispatch().payload().toString());
    submit(a, 2, Map.of(), false, BroadcastScope.SLOTS);
    assertEquals("c-A:2", s2.nextDispatch().payload().toString());

    cancel(a, 2, true);
    assertEquals(new Cancel(((Dispatch) onLoop(() -> s2.last).header()).taskId(), true), s2.nextCancel());
    s1.completeLast();
    assertEquals(Result.value(1, "worker-s1"), a.nextFrame().header());
    s2.completeLast();
    submit(a, 3, Map.of(), false, null);
    assertEquals("c-A:3", s1.nextDispatch().payload().toString(), "the waiting part was dropped");
    assertTrue(a.frames.isEmpty(), "no part of a cancelled broadcast is answered: " + a.frames);
  }

  @Test
  void progressOfARunningTaskGoesToItsClientAndListenersAndStartsAfreshWhenTheTaskRunsAgain() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 9, 0);
    long id = ((Dispatch) s1.nextDispatch().header()).taskId();

    assertTrue(progress(s1, id, 4, 10));

    assertEquals(new Progress(9, 4, 10, null), a.nextFrame().header(), "under the client's task id");
    assertEquals(List.of(id + ":4/10"), reported);
    assertEquals(new TaskProgress(4, 10), onLoop(() -> taskOn(s1).progress));
    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));
    TestSlot s2 = slot("s2", 1.0);
    s2.nextDispatch();
    assertEquals(null, onLoop(() -> taskOn(s2).progress), "the new run has reported nothing yet");
    assertFalse(progress(s1, id, 5, 10), "the lost slot's report is stale");
    s2.completeLast();
    assertEquals(Result.Status.VALUE, ((Result) a.nextFrame().header()).status());
    assertFalse(progress(s2, id, 10, 10), "no report after the result");
    assertEquals(1, reported.size());
  }

  @Test
  void progressOfACancelledTaskOrOfABroadcastPartIsKeptButNotSentToTheClient() throws Exception {
    newScheduler(3);
    TestClient a = client("c-A");
    TestSlot s1 = taggedSlot("s1", 2.0, "10.0.0.1", Map.of());
    TestSlot s2 = taggedSlot("s2", 1.0, "10.0.0.2", Map.of());
    submit(a, 1, 0);
    long cancelled = ((Dispatch) s1.nextDispatch().header()).taskId();
    cancel(a, 1, true);
    submit(a, 2, Map.of(), false, BroadcastScope.HOSTS);
    long part = ((Dispatch) s2.nextDispatch().header()).taskId();

    assertTrue(progress(s1, cancelled, 1, 2));
    assertTrue(progress(s2, part, 1, 3));
    s1.completeLast();
    s2.completeLast();
    s1.nextDispatch(); // the broadcast's part for s1, once the cancelled task freed it
    s1.completeLast();

    assertEquals(List.of(cancelled + ":1/2", part + ":1/3"), reported);
    Result first = (Result) a.nextFrame().header();
    assertEquals(2, first.parts(), "the client's first frame is a part's result, no progress: " + first);
  }

  // ---- prefetch ---------------------------------------------------------------------------------------

  @Test
  void withPrefetchAQuickSlotIsSentMoreTasksWhileItWorksAndAnswersThemAllInOrder() throws Exception {
    newScheduler(3, 3, Long.MAX_VALUE); // every answer counts as quick
    TestClient a = client("c-A");
    for (long id = 1; id <= 6; id++) {
      submit(a, id, 2);
    }
    TestSlot s1 = slot("s1", 1.0);
    assertEquals("c-A:1", s1.nextDispatch().payload().toString());
    assertEquals(1, onLoop(() -> heldOn(s1)), "a slot that has answered nothing yet is sent one task");
    assertEquals(5, onLoop(() -> scheduler.queueDepth()));

    s1.completeLast(); // quick: the slot is now sent up to 3 tasks at once
    assertEquals("value of c-A:1", a.nextFrame().payload().toString());
    List<Frame> held = List.of(s1.nextDispatch(), s1.nextDispatch(), s1.nextDispatch());
    assertEquals(List.of("c-A:2", "c-A:3", "c-A:4"), held.stream().map(f -> f.payload().toString()).toList());
    assertEquals(3, onLoop(() -> heldOn(s1)));
    assertEquals(2, onLoop(() -> scheduler.queueDepth()), "no more than prefetch on the slot");
    assertEquals(1, onLoop(() -> scheduler.busySlots()));

    for (Frame dispatch : held) {
      onLoop(() -> s1.complete(dispatch));
    }
    List<Frame> rest = List.of(s1.nextDispatch(), s1.nextDispatch()); // sent as 2 and 3 were answered
    for (Frame dispatch : rest) {
      onLoop(() -> s1.complete(dispatch));
    }
    List<String> values = new ArrayList<>();
    for (int i = 2; i <= 6; i++) {
      values.add(a.nextFrame().payload().toString());
    }
    assertEquals(List.of("value of c-A:2", "value of c-A:3", "value of c-A:4", "value of c-A:5",
        "value of c-A:6"), values);
    assertEquals(0, onLoop(() -> heldOn(s1)));
    assertEquals(0, onLoop(() -> scheduler.busySlots()));
  }

  @Test
  void withPrefetchASlotWhoseLastTaskWasSlowHoldsOneTask() throws Exception {
    newScheduler(3, 8, 0); // no answer counts as quick
    TestClient a = client("c-A");
    for (long id = 1; id <= 4; id++) {
      submit(a, id, 2);
    }
    TestSlot s1 = slot("s1", 1.0);
    s1.nextDispatch();
    s1.completeLast();
    assertEquals("c-A:2", s1.nextDispatch().payload().toString());
    assertEquals(1, onLoop(() -> heldOn(s1)));
    assertEquals(2, onLoop(() -> scheduler.queueDepth()), "the rest wait on the server");
  }

  @Test
  void aSlotLostWithTasksHeldBehindItsRunningOneCountsAnAttemptForThatOneOnly() throws Exception {
    newScheduler(3, 3, Long.MAX_VALUE);
    TestClient a = client("c-A");
    for (long id = 1; id <= 5; id++) {
      submit(a, id, 2);
    }
    TestSlot s1 = slot("s1", 1.0);
    s1.nextDispatch();
    s1.completeLast();
    a.nextFrame();
    List<Long> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(((Dispatch) s1.nextDispatch().header()).taskId());
    }
    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));
    assertEquals(4, onLoop(() -> scheduler.queueDepth()), "the three held tasks are queued again, with task 5");

    TestSlot s2 = slot("s2", 1.0);
    Dispatch ran = (Dispatch) s2.nextDispatch().header();
    assertEquals(held.get(0), ran.taskId(), "the task s1 ran goes first");
    assertEquals(2, ran.attempt(), "it was lost with s1: its second attempt");
    onLoop(() -> s2.complete(s2.last));
    assertEquals("value of c-A:2", a.nextFrame().payload().toString());
    Dispatch waited = (Dispatch) s2.nextDispatch().header();
    assertEquals(held.get(1), waited.taskId(), "then the ones held behind it, in order");
    assertEquals(1, waited.attempt(), "it never started on s1: still its first attempt");
    assertEquals(held.get(2), ((Dispatch) s2.nextDispatch().header()).taskId());
  }

  @Test
  void cancellingATaskHeldBehindTheRunningOneTellsItsSlotAndDiscardsItsResult() throws Exception {
    newScheduler(3, 2, Long.MAX_VALUE);
    TestClient a = client("c-A");
    for (long id = 1; id <= 3; id++) {
      submit(a, id, 2);
    }
    TestSlot s1 = slot("s1", 1.0);
    s1.nextDispatch();
    s1.completeLast();
    a.nextFrame();
    Frame running = s1.nextDispatch();
    Frame behind = s1.nextDispatch();
    assertEquals("c-A:3", behind.payload().toString());
    cancel(a, 3, true);
    assertEquals(((Dispatch) behind.header()).taskId(), s1.nextCancel().taskId());
    onLoop(() -> s1.complete(running));
    onLoop(() -> s1.complete(behind)); // the worker answers the cancelled one (it did not run it)
    assertEquals("value of c-A:2", a.nextFrame().payload().toString());
    assertEquals(0, onLoop(() -> heldOn(s1)));
    assertEquals(0, onLoop(() -> scheduler.busySlots()));
    assertTrue(a.frames.isEmpty(), "nothing for the cancelled task: " + a.frames);
  }

  // ---- recall -----------------------------------------------------------------------------------------

  /** Makes s1 quick and returns the three of a's tasks it then holds: the one it runs (task 2), then 3 and 4. */
  private List<Frame> slotHoldingThree(TestClient a, TestSlot s1, int submitted) throws Exception {
    for (long id = 1; id <= submitted; id++) {
      submit(a, id, 2);
    }
    s1.nextDispatch();
    s1.completeLast(); // quick: s1 is now sent three tasks at once
    assertEquals("value of c-A:1", a.nextFrame().payload().toString());
    return List.of(s1.nextDispatch(), s1.nextDispatch(), s1.nextDispatch());
  }

  private static long idOf(Frame dispatch) {
    return ((Dispatch) dispatch.header()).taskId();
  }

  @Test
  void aWithdrawingClientGetsTheTasksHeldUnstartedOnSlotsBackAsNeverStarted() throws Exception {
    newScheduler(3, 3, Long.MAX_VALUE);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    List<Frame> held = slotHoldingThree(a, s1, 5); // task 5 stays queued

    onLoop(() -> scheduler.withdraw(a.session));

    assertEquals(new Cancel(idOf(held.get(0)), true), s1.nextCancel(), "the running task is interrupted");
    assertEquals(Set.of(idOf(held.get(1)), idOf(held.get(2))), Set.of(s1.nextRecall(), s1.nextRecall()),
        "the tasks held behind it are recalled");
    assertEquals("cancel " + idOf(held.get(0)), s1.stops.get(2), "after the recalls: the interrupt would free the"
        + " slot's thread to start them: " + s1.stops);
    assertTrue(a.frames.isEmpty(), "the answer waits for the slot's: " + a.frames);
    assertTrue(s1.answerRecall(idOf(held.get(2)), true));
    assertTrue(a.frames.isEmpty(), "one recall still unanswered: " + a.frames);
    assertTrue(s1.answerRecall(idOf(held.get(1)), false)); // task 3 had started meanwhile
    assertEquals(new Cancel(idOf(held.get(1)), true), s1.nextCancel(), "a recalled task that started is interrupted");
    assertEquals(new Withdrawn(List.of(4L, 5L)), a.nextFrame().header(),
        "the task given back and the queued one, in the order they were submitted");
    assertEquals(2, (int) onLoop(() -> heldOn(s1)), "tasks 2 and 3 still run on s1");

    onLoop(() -> s1.complete(held.get(0)));
    onLoop(() -> s1.complete(held.get(1)));
    assertEquals("value of c-A:2", a.nextFrame().payload().toString(), "started tasks still answer");
    assertEquals("value of c-A:3", a.nextFrame().payload().toString());
    assertFalse(onLoop(() -> scheduler.onResult(s1.address, Result.value(idOf(held.get(2)), "w"), Buffer.buffer(0))),
        "the task given back is no longer the slot's");
    assertEquals(0, (int) onLoop(scheduler::busySlots));
    assertEquals(2L, (long) onLoop(() -> a.session.cancelled), "tasks 4 and 5");
  }

  @Test
  void aFreeSlotTakesTheTasksHeldBehindATaskThatRunsLong() throws Exception {
    // 500 ms, not less: task 1 must count as quick (dispatched to completed under the line) on a loaded machine
    newScheduler(3, 3, TimeUnit.MILLISECONDS.toNanos(500));
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 9.0);
    List<Frame> held = slotHoldingThree(a, s1, 4); // nothing left queued
    TestSlot s2 = slot("s2", 1.0); // free, and no queued task for it

    long first = s1.nextRecall(); // once task 2 has run 500 ms, one recall per free slot, nearest first
    assertEquals(idOf(held.get(1)), first);
    assertTrue(s1.recalls.isEmpty(), "one free slot: one recall at a time " + s1.recalls);
    assertTrue(s1.answerRecall(first, true));
    Dispatch moved = (Dispatch) s2.nextDispatch().header();
    assertEquals(first, moved.taskId(), "the free slot runs the task given back");
    assertEquals(1, moved.attempt(), "it never ran on s1: still its first attempt");
    assertEquals(2, (int) onLoop(() -> heldOn(s1)));

    onLoop(() -> s2.complete(s2.last));
    assertEquals("value of c-A:3", a.nextFrame().payload().toString());
    long second = s1.nextRecall(); // s2 is free again and task 2 still runs
    assertEquals(idOf(held.get(2)), second);
    assertTrue(s1.answerRecall(second, false)); // s1 had started it: it stays there, never recalled again
    assertFalse(s1.answerRecall(second, true), "a second answer to one recall is ignored");
    assertTrue(s1.recalls.isEmpty(), "nothing more to recall: " + s1.recalls);
    assertTrue(s2.dispatches.isEmpty(), "nothing for s2: " + s2.dispatches);
    assertFalse(s2.answerRecall(idOf(held.get(0)), true), "so is one about a task its slot does not hold");

    onLoop(() -> s1.complete(held.get(0)));
    onLoop(() -> s1.complete(held.get(2)));
    assertEquals("value of c-A:2", a.nextFrame().payload().toString());
    assertEquals("value of c-A:4", a.nextFrame().payload().toString());
    assertEquals(0, (int) onLoop(scheduler::busySlots));
    assertEquals(0L, (long) onLoop(() -> stats.rerun), "a task given back is not a rerun");
  }

  @Test
  void aQuickSlotWhoseRunningTaskHasRunLongIsSentNothingMore() throws Exception {
    // 500 ms, not less: task 1 must count as quick (dispatched to completed under the line) on a loaded machine
    newScheduler(3, 8, TimeUnit.MILLISECONDS.toNanos(500));
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    submit(a, 1, 2);
    s1.nextDispatch();
    s1.completeLast(); // well under 500 ms: quick
    a.nextFrame();
    submit(a, 2, 2);
    submit(a, 3, 2);
    s1.nextDispatch();
    s1.nextDispatch();
    assertEquals(2, (int) onLoop(() -> heldOn(s1)), "task 3 was sent while task 2 had just started");

    vertx.timer(600, TimeUnit.MILLISECONDS).toCompletionStage().toCompletableFuture()
        .get(WAIT_SECONDS, TimeUnit.SECONDS); // task 2 has now run longer than 500 ms
    submit(a, 4, 2);

    assertEquals(1, (int) onLoop(scheduler::queueDepth), "task 4 waits on the server, where any slot may take it");
    assertEquals(2, (int) onLoop(() -> heldOn(s1)));
  }

  @Test
  void aDrainingSlotGivesBackWhatItHoldsUnstarted() throws Exception {
    newScheduler(3, 3, Long.MAX_VALUE);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    List<Frame> held = slotHoldingThree(a, s1, 4);

    onLoop(() -> scheduler.drainSlot(s1.address));
    List<Long> recalled = List.of(s1.nextRecall(), s1.nextRecall());
    assertEquals(List.of(idOf(held.get(2)), idOf(held.get(1))), recalled, "newest first");
    for (long id : recalled) { // a worker answers in the order it was asked
      assertTrue(s1.answerRecall(id, true));
    }
    assertEquals(2, (int) onLoop(scheduler::queueDepth), "both wait on the server for another slot");
    TestSlot s2 = slot("s2", 1.0);
    assertEquals("c-A:3", s2.nextDispatch().payload().toString(), "in the order they were submitted");
  }

  @Test
  void aSlotLostWhileARecallForAWithdrawingClientIsOpenAnswersIt() throws Exception {
    newScheduler(3, 3, Long.MAX_VALUE);
    TestClient a = client("c-A");
    TestSlot s1 = slot("s1", 1.0);
    slotHoldingThree(a, s1, 4);
    onLoop(() -> scheduler.withdraw(a.session));
    s1.nextRecall();
    s1.nextRecall();

    onLoop(() -> scheduler.removeSlot(s1.address, "test: worker died"));

    assertEquals(new Withdrawn(List.of(3L, 4L)), a.nextFrame().header(),
        "the tasks held behind the lost slot's running one never started");
  }

  /** On the loop: how many tasks a slot holds. */
  private int heldOn(TestSlot slot) {
    return scheduler.slots().stream().filter(s -> s.address.equals(slot.address)).findFirst().orElseThrow()
        .held.size();
  }

  // ---- harness ----------------------------------------------------------------------------------------

  /** On the loop: the task a slot runs. */
  private TaskRecord taskOn(TestSlot slot) {
    return scheduler.slots().stream().filter(s -> s.address.equals(slot.address)).findFirst().orElseThrow().task();
  }

  private void newScheduler(int maxAttempts) throws Exception {
    newScheduler(maxAttempts, 1, Long.MAX_VALUE);
  }

  /** A scheduler letting a slot hold {@code prefetch} tasks once a task took under {@code quickNanos}. */
  private void newScheduler(int maxAttempts, int prefetch, long quickNanos) throws Exception {
    PoolListener progressSeen = new PoolListener() {
      @Override
      public void taskProgress(TaskRecord task) {
        reported.add(task.id + ":" + task.progress.done() + "/" + task.progress.total());
      }
    };
    scheduler = onLoop(() -> new Scheduler(vertx, maxAttempts, 30_000,
        ServerOptions.DEFAULT_MAX_QUEUED_PER_CLIENT, prefetch, quickNanos,
        new PoolListeners().add(stats).add(progressSeen)));
  }

  /** Progress as the scheduler's listeners saw it: "server task id:done/total". */
  private final List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();

  private boolean progress(TestSlot slot, long serverTaskId, long done, long total) throws Exception {
    return onLoop(() -> scheduler.onProgress(slot.address, serverTaskId, new TaskProgress(done, total)));
  }

  /** Runs {@code action} on the scheduler's event loop and waits for its value. */
  private <T> T onLoop(Callable<T> action) throws Exception {
    return OnContext.call(loop, WAIT_SECONDS, action);
  }

  private void onLoop(Runnable action) throws Exception {
    OnContext.run(loop, WAIT_SECONDS, action);
  }

  private static PeerInfo peer(String name, double cpuScore) {
    return new PeerInfo(name, "host", "127.0.0.1", "test os", 1, 1 << 20, 1 << 20, cpuScore, 1, "test");
  }

  /** Submits a task whose payload names the client and its task id, e.g. {@code c-A:3}. */
  private void submit(TestClient client, long taskId, int rtype) throws Exception {
    onLoop(() -> scheduler.submit(client.session, new Submit(taskId, TaskKind.CALLABLE, rtype),
        Buffer.buffer(client.id + ":" + taskId)));
  }

  /** Submits a routed task (or broadcast) whose payload names the client and its task id. */
  private void submit(TestClient client, long taskId, Map<String, String> requires, boolean spread,
      BroadcastScope broadcast) throws Exception {
    onLoop(() -> scheduler.submit(client.session, new Submit(taskId, TaskKind.CALLABLE, 0, 0, requires, spread,
        broadcast), Buffer.buffer(client.id + ":" + taskId)));
  }

  private void cancel(TestClient client, long taskId, boolean interrupt) throws Exception {
    onLoop(() -> scheduler.cancel(client.session, new Cancel(taskId, interrupt)));
  }

  private TestClient client(String id) throws Exception {
    TestClient client = new TestClient(id);
    onLoop(() -> scheduler.addClient(client.session));
    return client;
  }

  /** A slot that keeps each task until the test completes it. */
  private TestSlot slot(String name, double cpuScore) throws Exception {
    return slot(name, cpuScore, false);
  }

  /** A slot that reports a value for every task as soon as it arrives. */
  private TestSlot autoSlot(String name, double cpuScore) throws Exception {
    return slot(name, cpuScore, true);
  }

  private TestSlot slot(String name, double cpuScore, boolean autoComplete) throws Exception {
    return slot(name, cpuScore, autoComplete, "127.0.0.1", Map.of());
  }

  /** A slot that keeps each task, on host {@code ip}, carrying {@code tags}. */
  private TestSlot taggedSlot(String name, double cpuScore, String ip, Map<String, String> tags) throws Exception {
    return slot(name, cpuScore, false, ip, tags);
  }

  /** Registers a consumer at a slot address (on the scheduler's loop), then the slot itself. */
  private TestSlot slot(String name, double cpuScore, boolean autoComplete, String ip, Map<String, String> tags)
      throws Exception {
    TestSlot slot = new TestSlot(Protocol.BUS_SLOT_PREFIX + name, autoComplete);
    MessageConsumer<Buffer> consumer = onLoop(() -> vertx.eventBus().<Buffer>consumer(slot.address, msg -> {
      msg.reply(Buffer.buffer(0));
      Frame frame = Frame.decode(msg.body());
      if (frame.header() instanceof Cancel cancel) {
        slot.stops.add("cancel " + cancel.taskId());
        slot.cancels.add(cancel);
        return;
      }
      if (frame.header() instanceof Recall recall) {
        slot.stops.add("recall " + recall.taskId());
        slot.recalls.add(recall.taskId());
        return;
      }
      slot.last = frame;
      slot.dispatches.add(frame);
      if (slot.autoComplete) {
        slot.complete(frame);
      }
    }));
    consumer.completion().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    onLoop(() -> scheduler.addSlot(slot.address, peer("worker-" + name, cpuScore).withTags(tags), ip,
        WorkerKind.EMBEDDED));
    return slot;
  }

  /** A task client as the scheduler sees it: a session whose sink collects the frames sent to it. */
  private static final class TestClient {
    final String id;
    final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    final ClientSession session;

    TestClient(String id) {
      this.id = id;
      this.session = new ClientSession(id, peer("client-" + id, 0), "127.0.0.1", frames::add);
    }

    Frame nextFrame() throws InterruptedException {
      Frame frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(frame, "client " + id + " received nothing within " + WAIT_SECONDS + " s");
      return frame;
    }
  }

  /** A worker slot: an event-bus consumer that acknowledges and records dispatches, and records cancels. */
  private final class TestSlot {
    final String address;
    final BlockingQueue<Frame> dispatches = new LinkedBlockingQueue<>();
    final BlockingQueue<Cancel> cancels = new LinkedBlockingQueue<>();
    /** The server's ids of the tasks the scheduler recalled from this slot. */
    final BlockingQueue<Long> recalls = new LinkedBlockingQueue<>();
    /** Cancels and recalls ("cancel 7", "recall 8"), in the order the slot received them. */
    final List<String> stops = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether to report a value for every dispatch as soon as it arrives. */
    final boolean autoComplete;
    /** The last dispatch received. Written and read on the loop. */
    Frame last;

    TestSlot(String address, boolean autoComplete) {
      this.address = address;
      this.autoComplete = autoComplete;
    }

    Frame nextDispatch() throws InterruptedException {
      Frame frame = dispatches.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(frame, "slot " + address + " received no dispatch within " + WAIT_SECONDS + " s");
      return frame;
    }

    long nextRecall() throws InterruptedException {
      Long id = recalls.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(id, "slot " + address + " received no recall within " + WAIT_SECONDS + " s");
      return id;
    }

    /** Answers a recall of task {@code taskId}: given back, or started already. */
    boolean answerRecall(long taskId, boolean released) throws Exception {
      return onLoop(() -> scheduler.onRecalled(address, new Recalled(taskId, released)));
    }

    Cancel nextCancel() throws InterruptedException {
      Cancel cancel = cancels.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(cancel, "slot " + address + " received no cancel within " + WAIT_SECONDS + " s");
      return cancel;
    }

    /** On the loop: reports the value {@code "value of <payload>"} for a dispatch. */
    void complete(Frame dispatch) {
      scheduler.onResult(address, Result.value(((Dispatch) dispatch.header()).taskId(), "ignored"),
          Buffer.buffer("value of " + dispatch.payload()));
    }

    /** Reports a value for the last dispatch this slot received. */
    void completeLast() throws Exception {
      onLoop(() -> complete(last));
    }
  }
}
