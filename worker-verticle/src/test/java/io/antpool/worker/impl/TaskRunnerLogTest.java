package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Result;
import io.antpool.protocol.TaskKind;
import io.antpool.task.TaskCodec;
import io.antpool.worker.impl.fixtures.Tasks;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a worker logs of the tasks it runs: each run at debug level and each failure at warn level, naming the
 * server's task id, the client session and the attempt, so a failure seen on the dashboard can be found in the
 * worker's log.
 */
class TaskRunnerLogTest {
  private static final ClassLoader CLIENT = TaskRunnerLogTest.class.getClassLoader();

  private final Logger logger = (Logger) LoggerFactory.getLogger(TaskRunner.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Level previousLevel;
  private boolean previousAdditive;
  private final TaskRunner runner = new TaskRunner(new SessionResources(),
      (session, loader, path, known) -> SessionResources.Fetched.of(fromClientClassPath(path)), "host/1#1");

  private static byte[] fromClientClassPath(String path) throws IOException {
    try (InputStream in = CLIENT.getResourceAsStream(path)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  @BeforeEach
  void capture() {
    previousLevel = logger.getLevel();
    previousAdditive = logger.isAdditive();
    logger.setLevel(Level.DEBUG);
    logger.setAdditive(false);
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logged);
    logger.setLevel(previousLevel);
    logger.setAdditive(previousAdditive);
  }

  private Result run(long taskId, String session, int attempt, Object task) {
    Dispatch dispatch = new Dispatch(taskId, session, TaskKind.CALLABLE, 0, attempt);
    return (Result) runner.run(dispatch, Buffer.buffer(TaskCodec.encodeTask(task))).header();
  }

  @Test
  void aTaskThatRunsIsLoggedAtDebugAndNothingMore() {
    assertEquals(Result.Status.VALUE, run(41, "c-debug", 1, Tasks.multiply(6, 7)).status());

    assertEquals(1, logged.list.size(), logged.list.toString());
    ILoggingEvent event = logged.list.get(0);
    assertEquals(Level.DEBUG, event.getLevel());
    assertEquals("task 41 (session c-debug, attempt 1) runs on host/1#1", event.getFormattedMessage());
  }

  @Test
  void aFailureIsLoggedAtWarnWithTheTaskIdAndWhatItThrew() {
    assertEquals(Result.Status.ERROR, run(97, "c-warn", 2, Tasks.throwIllegalState("no such account")).status());

    List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    assertEquals(1, warnings.size(), logged.list.toString());
    ILoggingEvent warning = warnings.get(0);
    assertEquals("task 97 (session c-warn, attempt 2) failed on host/1#1: java.lang.IllegalStateException: no such"
        + " account", warning.getFormattedMessage());
    assertEquals(IllegalStateException.class.getName(), warning.getThrowableProxy().getClassName(),
        "with its stack trace");
  }
}
