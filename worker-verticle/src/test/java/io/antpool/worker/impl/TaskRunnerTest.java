package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.RemoteTaskException;
import io.antpool.SerializableCallable;
import io.antpool.TaskProgress;
import io.antpool.TaskNotSerializableException;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.protocol.TaskKind;
import io.antpool.task.TaskCodec;
import io.antpool.worker.impl.fixtures.Tasks;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskRunner}: a dispatched task (the client's serialized lambda, whose classes the worker fetches
 * from the client, here the test class path) runs in a task class loader and always becomes a {@link Result}
 * frame: VALUE with the serialized value, or ERROR with the exception's class name, message and serialized
 * exception, for thrown exceptions and errors, results that do not serialize, and tasks that cannot be
 * rebuilt. Isolation modes decide whether static state survives between tasks; the thread is left as found.
 * A cancel with interrupt interrupts the running task it names and no other, one without interrupt leaves the
 * task alone, and a task cancelled before it started does not run.
 */
class TaskRunnerTest {
  private static final ClassLoader CLIENT = TaskRunnerTest.class.getClassLoader();
  private static final String WORKER = "test-host/1#1";
  private static final AtomicLong TASK_IDS = new AtomicLong(100);

  /** The client's class path, as the worker reaches it through the server. */
  private static byte[] fromClientClassPath(String session, String path) throws IOException {
    try (InputStream in = CLIENT.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private final SessionResources resources = new SessionResources();
  private final TaskRunner runner = new TaskRunner(resources,
      (session, loader, path, known) -> SessionResources.Fetched.of(fromClientClassPath(session, path)), WORKER);

  @Test
  void aCallableValueComesBackSerialized() throws Exception {
    Frame frame = run(runner, Tasks.multiply(6, 7), TaskKind.CALLABLE, 0, "c-value");

    Result result = assertInstanceOf(Result.class, frame.header());
    assertEquals(Result.Status.VALUE, result.status());
    assertEquals(WORKER, result.worker());
    assertNull(result.errorClass());
    assertEquals(42, decode(frame));
  }

  @Test
  void aResultCarriesTheCpuTimeItsTaskUsed() {
    Frame frame = run(runner, Tasks.burnCpu(50), TaskKind.CALLABLE, 0, "c-cpu");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.VALUE, result.status());
    assertTrue(result.cpuNanos() >= 50_000_000, "cpuNanos " + result.cpuNanos());
    assertTrue(result.cpuNanos() < 10_000_000_000L, "cpuNanos " + result.cpuNanos());
  }

  @Test
  void theTaskIdIsEchoed() {
    Dispatch dispatch = new Dispatch(987654321L, "c-id", TaskKind.CALLABLE, 0, 3);

    Frame frame = runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(Tasks.multiply(1, 1))));

    assertEquals(987654321L, ((Result) frame.header()).taskId());
  }

  @Test
  void aRunnableGivesAnEmptyValue() throws Exception {
    Frame frame = run(runner, Tasks.doNothing(), TaskKind.RUNNABLE, 0, "c-runnable");

    assertEquals(Result.Status.VALUE, ((Result) frame.header()).status());
    assertNull(decode(frame));
  }

  @Test
  void aThrownExceptionIsAnErrorResultCarryingTheException() throws Exception {
    Frame frame = run(runner, Tasks.throwIllegalState("boom"), TaskKind.CALLABLE, 0, "c-boom");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals("java.lang.IllegalStateException", result.errorClass());
    assertEquals("boom", result.errorMessage());
    assertEquals(WORKER, result.worker());
    IllegalStateException thrown = assertInstanceOf(IllegalStateException.class, decode(frame));
    assertEquals("boom", thrown.getMessage());
    assertTrue(thrown.getStackTrace().length > 0, "the remote stack trace is kept");
  }

  @Test
  void aTaskExceptionClassFromTheClientDecodesOnTheClient() throws Exception {
    Frame frame = run(runner, Tasks.throwCustom("custom"), TaskKind.CALLABLE, 0, "c-custom");

    assertEquals(Tasks.CustomFailure.class.getName(), ((Result) frame.header()).errorClass());
    Tasks.CustomFailure thrown = assertInstanceOf(Tasks.CustomFailure.class, decode(frame));
    assertEquals("custom", thrown.getMessage());
  }

  @Test
  void anExceptionThatDoesNotSerializeComesBackAsRemoteTaskExceptionWithItsCause() throws Exception {
    Frame frame = run(runner, Tasks.throwUnportable("stale handle"), TaskKind.CALLABLE, 0, "c-unportable");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(Tasks.UnportableFailure.class.getName(), result.errorClass());
    RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, decode(frame));
    assertEquals(Tasks.UnportableFailure.class.getName(), remote.remoteClassName());
    assertEquals(Tasks.UnportableFailure.class.getName() + ": stale handle", remote.getMessage());
    RemoteTaskException cause = assertInstanceOf(RemoteTaskException.class, remote.getCause());
    assertEquals("java.lang.IllegalArgumentException: root cause", cause.getMessage());
  }

  @Test
  void anErrorThrownByTheTaskIsAnErrorResultToo() throws Exception {
    Frame frame = run(runner, Tasks.throwError("invariant broken"), TaskKind.CALLABLE, 0, "c-error");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals("java.lang.AssertionError", result.errorClass());
    assertEquals("invariant broken", assertInstanceOf(AssertionError.class, decode(frame)).getMessage());
  }

  @Test
  void aStaticInitializerThatThrowsIsANoClassDefFoundErrorNamingTheClassWithTheOriginalAsCause() throws Exception {
    Frame frame = run(runner, Tasks.useBrokenInit(), TaskKind.CALLABLE, 0, "c-clinit");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(NoClassDefFoundError.class.getName(), result.errorClass());
    String expected = "class " + Tasks.BrokenInit.class.getName() + " could not be initialized on worker " + WORKER
        + ": its static initializer threw java.lang.IllegalStateException: no configuration found; fix the"
        + " initializer (the cause's stack trace shows where it failed)";
    assertEquals(expected, result.errorMessage());
    NoClassDefFoundError thrown = assertInstanceOf(NoClassDefFoundError.class, decode(frame));
    assertEquals(expected, thrown.getMessage());
    ExceptionInInitializerError original = assertInstanceOf(ExceptionInInitializerError.class, thrown.getCause());
    assertEquals("no configuration found", original.getCause().getMessage());
    assertEquals(1, decode(run(runner, Tasks.multiply(1, 1), TaskKind.CALLABLE, 0, "c-clinit")),
        "the next task runs");
  }

  @Test
  void aResultThatDoesNotSerializeIsAnErrorNamingItsType() throws Exception {
    Frame frame = run(runner, Tasks.returnOpaque(), TaskKind.CALLABLE, 0, "c-opaque");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(TaskNotSerializableException.class.getName(), result.errorClass());
    assertTrue(result.errorMessage().contains("result of type " + Tasks.Opaque.class.getName()),
        result.errorMessage());
    assertTrue(result.errorMessage().contains("return a serializable value"), result.errorMessage());
    TaskNotSerializableException thrown = assertInstanceOf(TaskNotSerializableException.class, decode(frame));
    assertEquals(ErrorCode.NOT_SERIALIZABLE, thrown.code());
  }

  @Test
  void aTaskWhoseClassTheClientLacksIsAnErrorNamingTheClass() throws Exception {
    TaskRunner noClasses = new TaskRunner(new SessionResources(),
        (session, loader, path, known) -> SessionResources.Fetched.NOT_FOUND, WORKER);

    Frame frame = run(noClasses, Tasks.multiply(2, 3), TaskKind.CALLABLE, 0, "c-missing");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(AntPoolException.class.getName(), result.errorClass());
    assertTrue(result.errorMessage().contains("worker " + WORKER + " could not rebuild the task"),
        result.errorMessage());
    assertTrue(result.errorMessage().contains(Tasks.class.getName()), result.errorMessage());
    assertTrue(result.errorMessage().contains("client's class path"), result.errorMessage());
    AntPoolException thrown = assertInstanceOf(AntPoolException.class, decode(frame));
    assertEquals(ErrorCode.CLASS_FETCH_FAILED, thrown.code());
  }

  @Test
  void aFetchFailureIsAnErrorNamingTheCause() {
    TaskRunner unreachable = new TaskRunner(new SessionResources(), (session, loader, path, known) -> {
      throw new IOException("client session " + session + " disconnected before sending the class");
    }, WORKER);

    Frame frame = run(unreachable, Tasks.multiply(2, 3), TaskKind.CALLABLE, 0, "c-gone");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertTrue(result.errorMessage().contains("client session c-gone disconnected before sending the class"),
        result.errorMessage());
  }

  @Test
  void bytesThatAreNotATaskAreAnError() {
    Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-garbage", TaskKind.CALLABLE, 0, 1);

    Frame frame = runner.run(dispatch, Buffer.buffer("not a serialized task".getBytes(StandardCharsets.UTF_8)));

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertTrue(result.errorMessage().contains("could not rebuild the task"), result.errorMessage());
  }

  @Test
  void theTaskRunsInATaskLoaderThatIsTheContextLoaderAndTheThreadIsRestoredAfterwards() throws Exception {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    long taskId = TASK_IDS.incrementAndGet();
    Dispatch dispatch = new Dispatch(taskId, "c-loader", TaskKind.CALLABLE, 0, 1);

    Frame frame = runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(Tasks.describeLoader())));

    assertEquals("antpool-task-" + taskId + " context=true", decode(frame));
    assertSame(before, Thread.currentThread().getContextClassLoader());
  }

  @Test
  void aTasksInterruptDoesNotLeakIntoTheNextTask() throws Exception {
    Frame frame = run(runner, Tasks.interruptSelf(), TaskKind.CALLABLE, 0, "c-interrupt");

    assertEquals("interrupted myself", decode(frame));
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void aCancelWithInterruptInterruptsTheRunningTaskAndNoInterruptReachesTheNextTask() throws Exception {
    ExecutorService slotThread = Executors.newSingleThreadExecutor();
    try {
      String started = "antpool.test.started." + TASK_IDS.get();
      Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-cancel", TaskKind.CALLABLE, 0, 1);
      runner.accept(dispatch.taskId());
      CompletableFuture<Frame> sleeping = CompletableFuture.supplyAsync(() -> runner.run(dispatch,
          Buffer.buffer(TaskCodec.encodeTask(Tasks.announceThenSleep(started)))), slotThread);
      awaitProperty(started);

      assertTrue(runner.cancel(dispatch.taskId(), true));

      Result result = (Result) sleeping.get(10, TimeUnit.SECONDS).header();
      assertEquals(Result.Status.ERROR, result.status());
      assertEquals("java.lang.InterruptedException", result.errorClass());
      assertFalse(runner.cancel(dispatch.taskId(), true), "a finished task is no longer held");
      Frame next = CompletableFuture.supplyAsync(() -> run(runner, Tasks.isInterrupted(), TaskKind.CALLABLE, 0,
          "c-cancel"), slotThread).get(30, TimeUnit.SECONDS);
      assertEquals(false, decode(next), "the slot's thread starts the next task uninterrupted");
    } finally {
      slotThread.shutdownNow();
    }
  }

  @Test
  void aTaskPastItsTimeoutIsInterruptedAndFailsWithTimeoutExceptionWhateverItReturns() throws Exception {
    for (SerializableCallable<String> task : List.of(Tasks.announceThenSleep("antpool.test.timeout." + TASK_IDS.get()),
        Tasks.swallowInterrupt())) {
      Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-timeout", TaskKind.CALLABLE, 0, 1, 0, 200);
      Frame frame = CompletableFuture.supplyAsync(() -> runner.run(dispatch,
          Buffer.buffer(TaskCodec.encodeTask(task)))).get(30, TimeUnit.SECONDS);

      Result result = (Result) frame.header();
      assertEquals(Result.Status.ERROR, result.status());
      assertEquals("java.util.concurrent.TimeoutException", result.errorClass());
      assertTrue(result.errorMessage().contains("ran past its timeout of 200 ms on worker"), result.errorMessage());
    }
    Dispatch quick = new Dispatch(TASK_IDS.incrementAndGet(), "c-timeout", TaskKind.CALLABLE, 0, 1, 0, 60_000);
    assertEquals(12, decode(runner.run(quick, Buffer.buffer(TaskCodec.encodeTask(Tasks.multiply(3, 4))))),
        "a task within its timeout answers as usual");
  }

  @Test
  void aCancelWithoutInterruptLetsTheRunningTaskFinishUndisturbed() throws Exception {
    ExecutorService slotThread = Executors.newSingleThreadExecutor();
    try {
      String started = "antpool.test.started." + TASK_IDS.get();
      String release = "antpool.test.release." + TASK_IDS.get();
      Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-cancel", TaskKind.CALLABLE, 0, 1);
      CompletableFuture<Frame> waiting = CompletableFuture.supplyAsync(() -> runner.run(dispatch,
          Buffer.buffer(TaskCodec.encodeTask(Tasks.announceThenAwaitRelease(started, release)))), slotThread);
      awaitProperty(started);

      assertTrue(runner.cancel(dispatch.taskId(), false));
      System.setProperty(release, "yes");

      assertEquals(false, decode(waiting.get(30, TimeUnit.SECONDS)), "the task saw no interrupt");
    } finally {
      slotThread.shutdownNow();
    }
  }

  @Test
  void aTaskCancelledBeforeItStartsIsNotRun() throws Exception {
    String ran = "antpool.test.ran." + TASK_IDS.get();
    Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-cancel", TaskKind.RUNNABLE, 0, 1);
    runner.accept(dispatch.taskId());

    assertTrue(runner.cancel(dispatch.taskId(), false));
    Frame frame = runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(Tasks.mark(ran))));

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals("java.util.concurrent.CancellationException", result.errorClass());
    assertNull(System.getProperty(ran), "the task did not run");
    assertEquals(Result.Status.VALUE, ((Result) run(runner, Tasks.mark(ran), TaskKind.RUNNABLE, 0, "c-cancel")
        .header()).status(), "the next task runs");
    assertEquals("yes", System.getProperty(ran));
  }

  @Test
  void aTaskHeldBehindAnotherCanBeCancelledAndOnlyItIsSkipped() throws Exception {
    String ranFirst = "antpool.test.ran." + TASK_IDS.get();
    String ranSecond = ranFirst + ".second";
    Dispatch first = new Dispatch(TASK_IDS.incrementAndGet(), "c-cancel", TaskKind.RUNNABLE, 0, 1);
    Dispatch second = new Dispatch(TASK_IDS.incrementAndGet(), "c-cancel", TaskKind.RUNNABLE, 0, 1);
    runner.accept(first.taskId()); // a prefetching server sent both before the first ran
    runner.accept(second.taskId());

    assertTrue(runner.cancel(second.taskId(), true), "the runner holds the waiting task");
    Result one = (Result) runner.run(first, Buffer.buffer(TaskCodec.encodeTask(Tasks.mark(ranFirst)))).header();
    Result two = (Result) runner.run(second, Buffer.buffer(TaskCodec.encodeTask(Tasks.mark(ranSecond)))).header();

    assertEquals(Result.Status.VALUE, one.status(), "the cancel was not meant for the first task");
    assertEquals("yes", System.getProperty(ranFirst));
    assertEquals("java.util.concurrent.CancellationException", two.errorClass());
    assertNull(System.getProperty(ranSecond), "the cancelled task did not run");
  }

  @Test
  void aTaskRecalledBeforeItStartsIsGivenBackAndNeitherRunsNorAnswers() throws Exception {
    String ranFirst = "antpool.test.ran." + TASK_IDS.get();
    String ranSecond = ranFirst + ".recalled";
    Dispatch first = new Dispatch(TASK_IDS.incrementAndGet(), "c-recall", TaskKind.RUNNABLE, 0, 1);
    Dispatch second = new Dispatch(TASK_IDS.incrementAndGet(), "c-recall", TaskKind.RUNNABLE, 0, 1);
    runner.accept(first.taskId());
    runner.accept(second.taskId());

    assertTrue(runner.recall(second.taskId()), "waiting: given back");
    assertFalse(runner.recall(second.taskId()), "given back already");
    assertTrue(runner.cancel(second.taskId(), true), "a cancel that crossed the recall still finds it held");
    Result one = (Result) runner.run(first, Buffer.buffer(TaskCodec.encodeTask(Tasks.mark(ranFirst)))).header();
    Frame two = runner.run(second, Buffer.buffer(TaskCodec.encodeTask(Tasks.mark(ranSecond))));

    assertEquals(Result.Status.VALUE, one.status());
    assertNull(two, "nothing to send for a task the server took back");
    assertNull(System.getProperty(ranSecond), "the recalled task did not run");
  }

  @Test
  void aTaskThatStartedOrEndedIsNotGivenBack() throws Exception {
    ExecutorService slotThread = Executors.newSingleThreadExecutor();
    try {
      String started = "antpool.test.started." + TASK_IDS.get();
      String release = started + ".release";
      Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-recall", TaskKind.CALLABLE, 0, 1);
      runner.accept(dispatch.taskId());
      CompletableFuture<Frame> running = CompletableFuture.supplyAsync(() -> runner.run(dispatch,
          Buffer.buffer(TaskCodec.encodeTask(Tasks.announceThenAwaitRelease(started, release)))), slotThread);
      awaitProperty(started);

      assertFalse(runner.recall(dispatch.taskId()), "it runs");
      System.setProperty(release, "yes");
      Frame frame = running.get(30, TimeUnit.SECONDS);
      assertEquals(Result.Status.VALUE, ((Result) frame.header()).status(), "it ran to its end and answers");
      assertFalse(runner.recall(dispatch.taskId()), "it ended");
      assertFalse(runner.recall(dispatch.taskId() + 1000), "never held");
    } finally {
      slotThread.shutdownNow();
    }
  }

  @Test
  void aCancelOfATaskTheRunnerDoesNotHoldIsIgnored() throws Exception {
    assertFalse(runner.cancel(TASK_IDS.get() + 1000, true), "never held");
    Frame frame = run(runner, Tasks.multiply(2, 3), TaskKind.CALLABLE, 0, "c-cancel");

    assertFalse(runner.cancel(((Result) frame.header()).taskId(), true), "finished");
    assertFalse(Thread.currentThread().isInterrupted());
    assertEquals(6, decode(frame));
  }

  @Test
  void isolationModeZeroGivesEveryTaskFreshStatics() throws Exception {
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 0, "c-rtype0")));
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 0, "c-rtype0")));
  }

  @Test
  void isolationModeOneGivesEveryTaskFreshStatics() throws Exception {
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 1, "c-rtype1")));
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 1, "c-rtype1")));
  }

  @Test
  void isolationModeTwoKeepsStaticsWithinASessionOnly() throws Exception {
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 2, "c-rtype2")));
    assertEquals(2, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 2, "c-rtype2")));
    assertEquals(1, decode(run(runner, Tasks.countRuns(), TaskKind.CALLABLE, 2, "c-rtype2-other")));
  }

  @Test
  void aThreadLocalATaskLeavesOnTheSlotThreadDoesNotKeepItsClassesAlive() throws Exception {
    assertTrue(ThreadLocalCleaner.available(), "surefire opens java.lang, as antpool.jar's manifest does");
    SessionResources own = new SessionResources();
    SessionResources.Fetcher classPath =
        (session, loader, path, known) -> SessionResources.Fetched.of(fromClientClassPath(session, path));
    TaskRunner parking = new TaskRunner(own, classPath, WORKER);
    java.lang.ref.WeakReference<ClassLoader> loader =
        new java.lang.ref.WeakReference<>(own.loaderFor("c-parks", 0, 2, 0, classPath));
    Frame frame = run(parking, Tasks.parkInThreadLocal(), TaskKind.CALLABLE, 2, "c-parks");
    assertEquals(Result.Status.VALUE, ((Result) frame.header()).status(), () -> frame.toString());
    own.forget("c-parks");
    for (int i = 0; i < 50 && loader.get() != null; i++) {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int j = 0; j < pressure.length; j++) {
        pressure[j] = new byte[64 * 1024];
      }
    }
    assertNull(loader.get(), "the session's class loader was collected: nothing on this thread holds it");
  }

  @Test
  void aTasksReportsReachItsReporterTheLastOneBeforeTheResultAndTheThreadIsLeftWithoutAContext()
      throws Exception {
    List<TaskProgress> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    // a timer that never fires: what reaches 'sent' was sent at once, or by the task's end
    TaskProgressReporter progress = new TaskProgressReporter(System::nanoTime, (delay, action) -> { }, sent::add);
    Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), "c-progress", TaskKind.CALLABLE, 0, 1);

    Frame frame = runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(Tasks.reportSteps(5))), progress);

    assertEquals(6, decode(frame));
    assertEquals(List.of(new TaskProgress(1, 5, "step 1"), new TaskProgress(5, 5, "helper")), sent,
        "the first report at once; the latest, from the task's own thread, when it ended");
    io.antpool.TaskContext.current().progress(1, 1);
    assertEquals(2, sent.size(), "the runner's thread holds no task context after the task");
  }

  @Test
  void aTaskReportingFiguresOutOfRangeFailsWithTheRuleItBroke() throws Exception {
    Frame frame = run(runner, Tasks.reportTooMuch(), TaskKind.CALLABLE, 0, "c-progress-bad");

    Result result = (Result) frame.header();
    assertEquals(Result.Status.ERROR, result.status());
    assertEquals(IllegalArgumentException.class.getName(), result.errorClass());
    assertTrue(result.errorMessage().contains("progress done (11) is more than its total (10)"),
        result.errorMessage());
  }

  private static Frame run(TaskRunner runner, Object task, TaskKind kind, int rtype, String session) {
    Dispatch dispatch = new Dispatch(TASK_IDS.incrementAndGet(), session, kind, rtype, 1);
    Frame frame = runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(task)));
    assertEquals(dispatch.taskId(), ((Result) frame.header()).taskId());
    return frame;
  }

  /** Waits until a task, whatever loader it runs in, has set system property {@code name}. */
  private static void awaitProperty(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.getProperty(name) == null) {
      assertTrue(System.nanoTime() < deadline, "the task did not set " + name + " within 30 s");
      Thread.onSpinWait();
    }
  }

  /** Decodes a result's payload as the client would, with its own class path. */
  private static Object decode(Frame frame) throws Exception {
    return TaskCodec.decode(frame.payload().getBytes(), CLIENT);
  }
}
