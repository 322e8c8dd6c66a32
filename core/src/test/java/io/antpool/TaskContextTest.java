package io.antpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.antpool.task.impl.TaskContextBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskContext#current()}: outside a worker's task thread a context that checks its figures and does
 * nothing else (so a task runs unchanged in a local pool); on a thread the worker bound, that task's context,
 * and on no other thread.
 */
class TaskContextTest {

  @AfterEach
  void unbind() {
    TaskContextBinding.unbind();
  }

  @Test
  void outsideAWorkerReportsAreAcceptedAndGoNowhere() {
    TaskContext context = TaskContext.current();

    assertNotNull(context);
    context.progress(1, 2);
    context.progress(2, 2, "done");
    context.progress(new TaskProgress(5, 0));
  }

  @Test
  void outsideAWorkerBadFiguresAreRefusedAsOnAWorker() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskContext.current().progress(3, 2));

    assertEquals("progress done (3) is more than its total (2): report at most the total, or 0 as the total when"
        + " it is not known", e.getMessage());
  }

  @Test
  void aBoundContextReceivesTheReportsOfItsThreadOnly() throws Exception {
    List<TaskProgress> received = new ArrayList<>();
    TaskContext bound = received::add;
    TaskContextBinding.bind(bound);

    TaskContext.current().progress(1, 4, "first");
    TaskContext onAnotherThread = CompletableFuture.supplyAsync(TaskContext::current).get(10, TimeUnit.SECONDS);
    onAnotherThread.progress(2, 4);

    assertSame(bound, TaskContext.current());
    assertEquals(List.of(new TaskProgress(1, 4, "first")), received);
    TaskContextBinding.unbind();
    TaskContext.current().progress(3, 4);
    assertEquals(1, received.size(), "after unbind the thread has no task context");
  }
}
