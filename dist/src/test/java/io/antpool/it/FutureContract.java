package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.it.cancel.CancelTasks;
import io.antpool.it.contract.FileGate;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
/** The promises of {@link Future}'s javadoc for the futures an executor returns (see {@link ContractBase}). */
abstract class FutureContract extends ContractBase {
  // ---- Future ------------------------------------------------------------------------------------------

  @Test
  void getWithATimeoutThrowsTimeoutExceptionWhileTheTaskRuns() throws Exception {
    Future<String> f = executor().submit(FileGate.waitFor(gate(0), "done", GATE_MILLIS));
    assertThrows(TimeoutException.class, () -> f.get(100, TimeUnit.MILLISECONDS));
    assertFalse(f.isDone());
    open(0);
    assertEquals("done", f.get(60, TimeUnit.SECONDS));
  }

  @Test
  void aCancelledFutureIsDoneAndCancelledAndGetThrowsCancellationException() throws Exception {
    Future<String> f = executor().submit(FileGate.waitFor(gate(0), "done", GATE_MILLIS));

    assertTrue(f.cancel(true));

    assertFalse(f.cancel(true), "only the cancel that cancelled it returns true");
    assertTrue(f.isCancelled());
    assertTrue(f.isDone());
    assertThrows(CancellationException.class, f::get);
    assertThrows(CancellationException.class, () -> f.get(1, TimeUnit.SECONDS));
  }

  @Test
  void cancellingACompletedFutureFailsAndChangesNothing() throws Exception {
    Future<Integer> f = executor().submit((Callable<Integer>) (SerializableCallable<Integer>) () -> 1);
    assertEquals(1, f.get(60, TimeUnit.SECONDS));

    assertFalse(f.cancel(true));

    assertFalse(f.isCancelled());
    assertEquals(1, f.get());
  }

  @Test
  void cancelTrueInterruptsARunningTaskAndCancelFalseDoesNot() throws Exception {
    Future<String> sleeping = executor().submit(CancelTasks.sleepAMinute(mark("started"), mark("interrupted")));
    awaitMark("started");
    assertTrue(sleeping.cancel(true));
    awaitMark("interrupted");

    Future<String> held = executor().submit(CancelTasks.holdUntilReleased(mark("held"), mark("release"),
        mark("report")));
    awaitMark("held");
    assertTrue(held.cancel(false));
    Files.createFile(dir.resolve("release"));
    awaitMark("report");
    String report = Files.readString(dir.resolve("report")); // written whole: seen, it is complete
    assertEquals("interrupted=false", report, "cancel(false) does not interrupt");
    assertTrue(held.isCancelled());
  }
}
