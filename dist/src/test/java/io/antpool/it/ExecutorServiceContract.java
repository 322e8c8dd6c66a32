package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.SerializableRunnable;
import io.antpool.it.cancel.CancelTasks;
import io.antpool.it.contract.FileGate;
import io.antpool.it.contract.Marks;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The promises of {@link ExecutorService} and {@link Future}'s javadoc, clause by clause, for any executor with
 * at least two threads. Each subclass supplies the executor: AntPool's, on real server and worker JVMs, and the
 * JDK's {@code ThreadPoolExecutor}, whose run proves that each test encodes the JDK's behaviour and not an
 * AntPool peculiarity. Tasks are serializable lambdas; the order in which they finish is set by file gates
 * (a task waits for a file the test creates), never by timing.
 */
/** The promises of {@link ExecutorService}'s javadoc, clause by clause (see {@link ContractBase}). */
abstract class ExecutorServiceContract extends ContractBase {
  // ---- submit and execute ------------------------------------------------------------------------------

  @Test
  void submitOfACallableGivesItsValue() throws Exception {
    Future<Integer> f = executor().submit((Callable<Integer>) (SerializableCallable<Integer>) () -> 6 * 7);
    assertEquals(42, f.get(60, TimeUnit.SECONDS));
    assertTrue(f.isDone());
    assertFalse(f.isCancelled());
  }

  @Test
  void submitOfARunnableGivesNullOrTheGivenResult() throws Exception {
    Runnable touch = Marks.touch(mark("ran"));
    assertNull(executor().submit(touch).get(60, TimeUnit.SECONDS));
    assertTrue(marked("ran"));
    Runnable nothing = (SerializableRunnable) () -> { };
    assertEquals("given", executor().submit(nothing, "given").get(60, TimeUnit.SECONDS));
  }

  @Test
  void executeRunsTheTask() throws Exception {
    executor().execute(Marks.touch(mark("executed")));
    executor().shutdown();
    assertTrue(executor().awaitTermination(60, TimeUnit.SECONDS));
    assertTrue(marked("executed"));
  }

  @Test
  void aTasksExceptionIsTheCauseOfTheExecutionException() throws Exception {
    Callable<Integer> failing = (SerializableCallable<Integer>) () -> {
      throw new IllegalStateException("broken");
    };
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> executor().submit(failing).get(60, TimeUnit.SECONDS));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("broken", e.getCause().getMessage());
  }

  // ---- shutdown ----------------------------------------------------------------------------------------

  @Test
  void afterShutdownNewTasksAreRejectedAndSubmittedOnesStillRun() throws Exception {
    ExecutorService e = executor();
    Future<String> running = e.submit(FileGate.waitFor(gate(0), "finished", GATE_MILLIS));

    e.shutdown();

    assertTrue(e.isShutdown());
    assertThrows(RejectedExecutionException.class,
        () -> e.submit((Callable<Integer>) (SerializableCallable<Integer>) () -> 1));
    assertThrows(RejectedExecutionException.class, () -> e.execute(Marks.touch(mark("never"))));
    assertFalse(e.isTerminated(), "a task is still running");
    assertFalse(e.awaitTermination(100, TimeUnit.MILLISECONDS));
    open(0);
    assertEquals("finished", running.get(60, TimeUnit.SECONDS));
    assertTrue(e.awaitTermination(60, TimeUnit.SECONDS));
    assertTrue(e.isTerminated());
    assertFalse(marked("never"));
  }

  @Test
  void shutdownOfAnIdleExecutorTerminatesIt() throws Exception {
    ExecutorService e = executor();
    e.shutdown();
    assertTrue(e.awaitTermination(60, TimeUnit.SECONDS));
    assertTrue(e.isShutdown());
    assertTrue(e.isTerminated());
  }

  @Test
  void shutdownNowRejectsNewTasks() throws Exception {
    ExecutorService e = executor();
    e.shutdownNow();
    assertTrue(e.isShutdown());
    assertThrows(RejectedExecutionException.class, () -> e.execute(Marks.touch(mark("never"))));
    assertTrue(e.awaitTermination(60, TimeUnit.SECONDS));
  }

  @Test
  void shutdownNowReturnsTheTasksThatNeverStartedAndInterruptsTheRunningOnes() throws Exception {
    ExecutorService e = executor();
    for (int i = 0; i < 2; i++) {
      e.submit(CancelTasks.sleepAMinute(mark("started-" + i), mark("interrupted-" + i)));
    }
    awaitMark("started-0");
    awaitMark("started-1");
    for (int i = 0; i < 3; i++) {
      e.submit(CancelTasks.leaveMark(mark("queued-" + i)));
    }

    List<Runnable> neverStarted = e.shutdownNow();

    assertEquals(3, neverStarted.size(), "the three tasks behind the two running ones");
    assertTrue(e.isShutdown());
    assertTrue(e.awaitTermination(60, TimeUnit.SECONDS), "the interrupted tasks end");
    assertTrue(marked("interrupted-0") && marked("interrupted-1"), "both running tasks were interrupted");
    for (int i = 0; i < 3; i++) {
      assertFalse(marked("queued-" + i), "a task shutdownNow returned never runs");
    }
  }

  // ---- invokeAll and invokeAny -------------------------------------------------------------------------

  @Test
  void invokeAllReturnsEveryFutureDoneInTheOrderOfTheTasks() throws Exception {
    List<Callable<String>> tasks = List.of(FileGate.waitFor(gate(0), "a", GATE_MILLIS),
        (SerializableCallable<String>) () -> "b",
        (SerializableCallable<String>) () -> {
          throw new IllegalArgumentException("c failed");
        });
    open(0);

    List<Future<String>> futures = executor().invokeAll(tasks);

    assertEquals(3, futures.size());
    futures.forEach(f -> assertTrue(f.isDone()));
    assertEquals("a", futures.get(0).get());
    assertEquals("b", futures.get(1).get());
    ExecutionException e = assertThrows(ExecutionException.class, () -> futures.get(2).get());
    assertEquals("c failed", e.getCause().getMessage());
  }

  @Test
  void timedInvokeAllCancelsTheTasksNotDoneAtTheDeadline() throws Exception {
    List<Callable<String>> tasks = List.of((SerializableCallable<String>) () -> "quick",
        FileGate.waitFor(gate(0), "late", GATE_MILLIS));

    List<Future<String>> futures = executor().invokeAll(tasks, 500, TimeUnit.MILLISECONDS);

    assertEquals("quick", futures.get(0).get());
    assertTrue(futures.get(1).isCancelled(), "not done at the deadline: cancelled");
    futures.forEach(f -> assertTrue(f.isDone()));
  }

  @Test
  void invokeAnyReturnsASuccessfulResultWhenOthersFail() throws Exception {
    List<Callable<String>> tasks = List.of((SerializableCallable<String>) () -> {
      throw new IllegalStateException("no");
    }, (SerializableCallable<String>) () -> "yes");

    assertEquals("yes", executor().invokeAny(tasks));
  }

  @Test
  void invokeAnyThrowsExecutionExceptionWhenEveryTaskFails() throws Exception {
    List<Callable<String>> tasks = List.of((SerializableCallable<String>) () -> {
      throw new IllegalStateException("first");
    }, (SerializableCallable<String>) () -> {
      throw new IllegalStateException("second");
    });

    ExecutionException e = assertThrows(ExecutionException.class, () -> executor().invokeAny(tasks));
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void timedInvokeAnyThrowsTimeoutExceptionWhenNoTaskFinishesInTime() throws Exception {
    List<Callable<String>> tasks = List.of(FileGate.waitFor(gate(0), "a", GATE_MILLIS),
        FileGate.waitFor(gate(1), "b", GATE_MILLIS));

    assertThrows(TimeoutException.class, () -> executor().invokeAny(tasks, 300, TimeUnit.MILLISECONDS));
  }

  @Test
  void invokeAnyOfNoTasksIsIllegal() {
    assertThrows(IllegalArgumentException.class, () -> executor().invokeAny(List.<Callable<String>>of()));
  }

  // ---- completion service ------------------------------------------------------------------------------

  @Test
  void anExecutorCompletionServiceHandsOutFuturesAsTheyComplete() throws Exception {
    ExecutorCompletionService<String> service = new ExecutorCompletionService<>(executor());
    Future<String> slow = service.submit(FileGate.waitFor(gate(0), "slow", GATE_MILLIS));
    Future<String> fast = service.submit((SerializableCallable<String>) () -> "fast");

    assertSame(fast, service.take());
    open(0);
    assertSame(slow, service.poll(60, TimeUnit.SECONDS));
    assertEquals("slow", slow.get());
  }
}
