package io.antpool.server.impl;

import io.antpool.protocol.Result;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes each event to every listener added, in the order they were added. A listener that throws is logged
 * and skipped for that event: watching the pool must never break it.
 */
final class PoolListeners implements PoolListener {
  private static final Logger log = LoggerFactory.getLogger(PoolListeners.class);
  private final List<PoolListener> listeners = new ArrayList<>();

  PoolListeners add(PoolListener listener) {
    listeners.add(listener);
    return this;
  }

  private void each(java.util.function.Consumer<PoolListener> call) {
    for (PoolListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.error("pool listener {} failed; the event is skipped for it", l.getClass().getSimpleName(), e);
      }
    }
  }

  @Override
  public void taskSubmitted(TaskRecord task) {
    each(l -> l.taskSubmitted(task));
  }

  @Override
  public void taskDispatched(TaskRecord task, WorkerSlot slot) {
    each(l -> l.taskDispatched(task, slot));
  }

  @Override
  public void taskAnswered(TaskRecord task, WorkerSlot ranOn, Result result) {
    each(l -> l.taskAnswered(task, ranOn, result));
  }

  @Override
  public void taskRunEnded(TaskRecord task, WorkerSlot slot, RunEnd end) {
    each(l -> l.taskRunEnded(task, slot, end));
  }

  @Override
  public void taskProgress(TaskRecord task) {
    each(l -> l.taskProgress(task));
  }

  @Override
  public void taskRequeued(TaskRecord task, WorkerSlot lost) {
    each(l -> l.taskRequeued(task, lost));
  }

  @Override
  public void taskRecalled(TaskRecord task, WorkerSlot slot) {
    each(l -> l.taskRecalled(task, slot));
  }

  @Override
  public void taskCancelled(ClientSession client, TaskRecord task) {
    each(l -> l.taskCancelled(client, task));
  }

  @Override
  public void slotJoined(WorkerSlot slot) {
    each(l -> l.slotJoined(slot));
  }

  @Override
  public void slotLeft(WorkerSlot slot, String reason) {
    each(l -> l.slotLeft(slot, reason));
  }

  @Override
  public void clientJoined(ClientSession client) {
    each(l -> l.clientJoined(client));
  }

  @Override
  public void clientLeft(ClientSession client) {
    each(l -> l.clientLeft(client));
  }

  @Override
  public void peerFault(String who, String remoteIp, String what) {
    each(l -> l.peerFault(who, remoteIp, what));
  }
}
