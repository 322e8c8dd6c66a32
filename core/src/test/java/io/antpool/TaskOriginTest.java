package io.antpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link TaskOrigin} travels as a suppressed exception and reads back the worker's name. */
class TaskOriginTest {
  @Test
  void theWorkerIsReadBackAndShowsInTheStackTrace() {
    IllegalStateException thrown = new IllegalStateException("boom");
    thrown.addSuppressed(new TaskOrigin("host-a/123#2"));

    assertEquals(Optional.of("host-a/123#2"), TaskOrigin.workerOf(thrown));
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    assertTrue(trace.toString().contains("Suppressed: io.antpool.TaskOrigin: the task ran on worker host-a/123#2"),
        trace.toString());
    assertEquals(0, new TaskOrigin("w").getStackTrace().length, "no trace of its own");
  }

  @Test
  void anExceptionWithoutOriginHasNoWorker() {
    assertEquals(Optional.empty(), TaskOrigin.workerOf(new RuntimeException()));
    assertEquals(Optional.empty(), TaskOrigin.workerOf(null));
  }
}
