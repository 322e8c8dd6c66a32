package io.antpool.client.impl;

import io.vertx.core.Context;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands actions from any thread to one Vert.x context, many per task of the context: the first action queued while
 * none is pending schedules one task ({@code runOnContext}), which runs every action it finds, including those
 * queued while it runs, before it ends.
 *
 * <p>Why: a client submitting thousands of tasks a second handed each submit to the event loop as a task of its
 * own, each a queue entry of Netty's and, when the loop was idle, a wake-up of it; with 1,024 tasks in flight the
 * submits of a burst now go in one task, and their frames in one batch ({@code BatchWriter}).
 *
 * <p>Contract: actions run on the context, one at a time, in the order {@link #execute} queued them (across all
 * threads, the order in which their calls took effect). An action queued before a call returns runs before any
 * task that call's thread schedules on the context afterwards ({@code runOnContext}, a timer): the task that will
 * run it is scheduled already, or is running and will take it before it ends. An action that throws is logged and
 * the next one runs.
 */
final class ContextInbox {
  private static final Logger log = LoggerFactory.getLogger(ContextInbox.class);

  private final Context context;
  private final Queue<Runnable> actions = new ConcurrentLinkedQueue<>();
  /** Whether a task that will take the queued actions is scheduled or running. */
  private final AtomicBoolean scheduled = new AtomicBoolean();

  ContextInbox(Context context) {
    this.context = context;
  }

  /** Queues {@code action} to run on the context after every action queued before it. */
  void execute(Runnable action) {
    actions.add(action);
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> runAll());
    }
  }

  private void runAll() {
    do {
      Runnable action;
      while ((action = actions.poll()) != null) {
        try {
          action.run();
        } catch (RuntimeException e) {
          log.error("an action of the AntPool client's event loop failed", e);
        }
      }
      scheduled.set(false);
      // an action queued after the last poll saw 'scheduled' still set and scheduled nothing: take it now, unless
      // a task of its own was scheduled for it meanwhile
    } while (!actions.isEmpty() && scheduled.compareAndSet(false, true));
  }
}
