package io.antpool.worker.impl;

import io.antpool.AntPoolException;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.task.TaskCodec;
import io.antpool.task.impl.TaskContextBinding;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one dispatched task on the calling thread (a worker thread, never an event loop) and turns its outcome
 * into a {@link Result} frame. Never throws: decoding failures, exceptions and errors the task throws, and
 * unserializable results all become error results naming the cause.
 *
 * <p>A task's own exception travels as it is, with one deviation: an {@link ExceptionInInitializerError} has no
 * message and does not say which class failed to initialize, so it is sent as a {@link NoClassDefFoundError}
 * (the error the JVM itself throws at the next use of such a class) naming the class and what its static
 * initializer threw, with the original as its cause.
 *
 * <p>Cancellation: a {@link #cancel} with interrupt interrupts the thread running the task it names (only while
 * that task runs), a task cancelled before it started is not run and ends as an error carrying a
 * {@link CancellationException}, and the thread never carries an interrupt from one task into the next.
 *
 * <p>Progress: while a task runs, its {@link TaskProgressReporter} is the thread's {@link io.antpool.TaskContext};
 * when it ends, the reporter sends its last report, if one is waiting, and then nothing more, all before
 * {@link #run} returns the result.
 *
 * <p>Logging: each task run at debug level, each failure (an error result) at warn level, both with the
 * server's task id, the client session and the attempt, so a failure seen on the dashboard can be found here.
 */
public final class TaskRunner {
  private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final SessionResources resources;
  private final SessionResources.Fetcher fetcher;
  private final String workerName;
  /**
   * What {@link #prepareNext} does after the last task, if anything: written and run on the slot's thread, read
   * by {@link #hasPreparation} on the slot's event loop (while a task held behind it may already run).
   */
  private volatile Runnable preparation;
  private final CurrentTask current = new CurrentTask();

  public TaskRunner(SessionResources resources, SessionResources.Fetcher fetcher, String workerName) {
    this.resources = resources;
    this.fetcher = fetcher;
    this.workerName = workerName;
  }

  /** A dispatch arrived for this runner's slot; call it before handing the task to the slot's thread. */
  public void accept(long taskId) {
    current.accept(taskId);
  }

  /**
   * The server cancels a task: if it is the one this runner holds, its thread is interrupted when
   * {@code interrupt} is true (a task that has not started yet will not run at all); otherwise nothing happens.
   * Safe from any thread.
   *
   * @return whether this runner held the task
   */
  public boolean cancel(long taskId, boolean interrupt) {
    return current.cancel(taskId, interrupt);
  }

  /**
   * The server takes back a task this runner holds but has not started: if so, the task will not run and
   * {@link #run} returns null for it. Safe from any thread.
   *
   * @return whether the task was given back (false: it started or ended, or was never held here)
   */
  public boolean recall(long taskId) {
    return current.recall(taskId);
  }

  /** Runs a task nobody waits for (a warm-up task), whose progress reports are dropped; see the other form. */
  public Frame run(Dispatch dispatch, Buffer payload) {
    return run(dispatch, payload, TaskProgressReporter.discarding());
  }

  /**
   * Runs a task on the calling thread, the slot's, with {@code progress} as its context, and returns its result
   * frame; {@code progress} has sent all it ever will by then. Returns null for a task {@link #recall recalled}
   * before it started: it did not run, and nothing is to be sent for it.
   */
  public Frame run(Dispatch dispatch, Buffer payload, TaskProgressReporter progress) {
    log.debug("task {} (session {}, attempt {}) runs on {}", dispatch.taskId(), dispatch.session(),
        dispatch.attempt(), workerName);
    switch (current.start(dispatch.taskId())) {
      case RECALLED -> {
        progress.finish();
        log.debug("task {} was given back to the server before it started", dispatch.taskId());
        return null;
      }
      case CANCELLED -> {
        progress.finish();
        return failure(dispatch, new CancellationException("task " + dispatch.taskId() + " was cancelled before it"
            + " started on worker " + workerName));
      }
      case RUN -> { }
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader loader = resources.loaderFor(dispatch.session(), dispatch.loader(), dispatch.rtype(),
        dispatch.taskId(), fetcher);
    thread.setContextClassLoader(loader);
    long threadsBefore = THREADS.getTotalStartedThreadCount();
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    TaskDeadline deadline = TaskDeadline.after(dispatch.timeoutMillis(),
        () -> current.cancel(dispatch.taskId(), true));
    TaskContextBinding.bind(progress);
    try {
      Frame outcome = decodeAndRun(dispatch, payload, loader);
      if (deadline.passed()) {
        outcome = failure(dispatch, new TimeoutException("task " + dispatch.taskId() + " ran past its timeout of "
            + dispatch.timeoutMillis() + " ms on worker " + workerName
            + " and was interrupted; give it a longer timeout, or make it faster"));
      }
      return withCpuTime(outcome, cpuBefore);
    } finally {
      deadline.cancel();
      TaskContextBinding.unbind();
      progress.finish(); // the last report goes before the result, and none after it
      current.finish(dispatch.taskId()); // from here on no cancel interrupts this thread; its status is cleared
      ThreadLocalCleaner.cleanCurrentThread();
      thread.setContextClassLoader(previous);
      boolean kept = resources.taskDone(dispatch.session(), dispatch.loader(), dispatch.rtype(), loader,
          THREADS.getTotalStartedThreadCount() != threadsBefore);
      preparation = kept || dispatch.rtype() != 0 ? null
          : () -> resources.prepareNext(dispatch.session(), dispatch.loader(), loader, dispatch.taskId(), fetcher);
    }
  }

  /**
   * Adds the CPU time the calling thread used since {@code cpuBefore}: the task's own work (threads it started
   * itself are not counted). Nothing is added where the JVM cannot measure thread CPU time.
   */
  private static Frame withCpuTime(Frame outcome, long cpuBefore) {
    long cpuAfter = THREADS.getCurrentThreadCpuTime();
    if (cpuBefore < 0 || cpuAfter < 0) {
      return outcome;
    }
    return new Frame(((Result) outcome.header()).withCpuNanos(cpuAfter - cpuBefore), outcome.payload());
  }

  /** Decodes the task in {@code loader}, runs it, and frames its value or what it threw. */
  private Frame decodeAndRun(Dispatch dispatch, Buffer payload, ClassLoader loader) {
    Object task;
    try {
      task = TaskCodec.decode(payload, loader);
    } catch (Exception | LinkageError e) {
      Throwable explained = explainInitializerFailure(e);
      return failure(dispatch, new AntPoolException(ErrorCode.CLASS_FETCH_FAILED, "worker " + workerName
          + " could not rebuild the task: " + explained, explained));
    }
    Object value;
    try {
      value = switch (dispatch.kind()) {
        case CALLABLE -> ((Callable<?>) task).call();
        case RUNNABLE -> {
          ((Runnable) task).run();
          yield null;
        }
      };
    } catch (Throwable thrown) {
      return failure(dispatch, explainInitializerFailure(thrown));
    }
    try {
      return new Frame(Result.value(dispatch.taskId(), workerName), TaskCodec.encodeValueToBuffer(value));
    } catch (RuntimeException e) {
      return failure(dispatch, e);
    }
  }

  /**
   * Prepares what the next task may need, after the last task's result has left: in isolation mode 0, a
   * loader with the last task's classes defined in it ({@link SessionResources#prepareNext}): whether the last
   * task left anything to prepare, from any thread (a later task may change the answer: a false one is then
   * asked again after that task).
   */
  public boolean hasPreparation() {
    return preparation != null;
  }

  /**
   * Runs what {@link #hasPreparation} announced, if anything. Call it on the slot's thread, between tasks.
   */
  public void prepareNext() {
    Runnable p = preparation;
    preparation = null;
    if (p != null) {
      p.run();
    }
  }

  /**
   * Names the class whose static initializer threw, found as the innermost {@code <clinit>} frame of what it
   * threw; any other throwable is returned unchanged.
   */
  private Throwable explainInitializerFailure(Throwable thrown) {
    if (!(thrown instanceof ExceptionInInitializerError error) || error.getCause() == null) {
      return thrown;
    }
    for (StackTraceElement frame : error.getCause().getStackTrace()) {
      if (frame.getMethodName().equals("<clinit>")) {
        NoClassDefFoundError named = new NoClassDefFoundError("class " + frame.getClassName() + " could not be"
            + " initialized on worker " + workerName + ": its static initializer threw " + error.getCause()
            + "; fix the initializer (the cause's stack trace shows where it failed)");
        named.initCause(error);
        named.setStackTrace(error.getStackTrace());
        return named;
      }
    }
    return thrown;
  }

  private Frame failure(Dispatch dispatch, Throwable error) {
    log.warn("task {} (session {}, attempt {}) failed on {}: {}", dispatch.taskId(), dispatch.session(),
        dispatch.attempt(), workerName, error.toString(), error);
    return Frame.of(new Result(dispatch.taskId(), Result.Status.ERROR, error.getClass().getName(),
        error.getMessage(), workerName), TaskCodec.encodeThrowable(error));
  }
}
