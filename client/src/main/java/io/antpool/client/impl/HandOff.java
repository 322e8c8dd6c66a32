package io.antpool.client.impl;

import io.vertx.core.Context;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands actions from any thread to one context, many per event-loop task: an action handed over while a run is
 * queued joins that run instead of queuing a task (and waking the event loop) of its own. Tasks submitted in a burst
 * by a caller's thread are then handled in one turn, and their submits leave in one WebSocket message.
 *
 * <p>Actions run on the context in the order they were handed over, and none later than a task the same thread
 * queues on the context ({@code runOnContext}) after handing it over: the run that takes an action was queued
 * before that task, or is running.
 */
final class HandOff {
  private final Context context;
  private final Queue<Runnable> actions = new ConcurrentLinkedQueue<>();
  /** A run is queued on the context and has not started taking actions yet. */
  private final AtomicBoolean queued = new AtomicBoolean();

  HandOff(Context context) {
    this.context = context;
  }

  /** Runs {@code action} on the context, soon. Safe from any thread. */
  void run(Runnable action) {
    actions.add(action);
    if (queued.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    // cleared before taking: an action added from now on is taken by this run or by the one it queues
    queued.set(false);
    try {
      for (Runnable action = actions.poll(); action != null; action = actions.poll()) {
        action.run();
      }
    } finally {
      // an action threw (Vert.x reports it): the ones behind it still run, in a run of their own
      if (!actions.isEmpty() && queued.compareAndSet(false, true)) {
        context.runOnContext(v -> drain());
      }
    }
  }
}
