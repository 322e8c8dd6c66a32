package io.antpool.server.impl;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.Withdrawn;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.SessionEnded;
import io.antpool.protocol.Submit;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches queued tasks to free worker slots. Event driven: every change that can make a dispatch possible
 * (a task submitted, a slot joined, a slot freed) calls {@link #pump()}; nothing polls.
 *
 * <p>Fairness: each client has a FIFO queue; clients with queued tasks stand in a ring and take one task each
 * in turn. Placement: the free slot chosen is the first by the {@link SlotPolicy} (fastest first). A task
 * waits in its queue for as long as no slot is free; nothing fails for lack of workers.
 *
 * <p>Thread confinement: every method runs on the server verticle's event loop; there are no locks.
 */
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final EventBus bus;
  private final int maxAttempts;
  private final long ackTimeoutMillis;
  private final Map<Long, TaskRecord> tasks = new HashMap<>();
  private final Map<String, WorkerSlot> slots = new LinkedHashMap<>();
  private final TreeSet<WorkerSlot> freeSlots;
  private final ArrayDeque<ClientSession> readyRing = new ArrayDeque<>();
  private final Map<String, ClientSession> clients = new LinkedHashMap<>();
  private long nextTaskId = 1;
  private long nextSlotSeq = 1;
  private final ServerStats stats;

  public Scheduler(EventBus bus, int maxAttempts, long ackTimeoutMillis, ServerStats stats) {
    this.bus = bus;
    this.maxAttempts = maxAttempts;
    this.ackTimeoutMillis = ackTimeoutMillis;
    this.freeSlots = new TreeSet<>(new FastestFirst());
    this.stats = stats;
  }

  // ---- clients ----------------------------------------------------------------------------------------

  void addClient(ClientSession client) {
    clients.put(client.id, client);
  }

  ClientSession client(String sessionId) {
    return clients.get(sessionId);
  }

  /**
   * A client left: its queued tasks are dropped; tasks already on workers run to their end and their results
   * are discarded.
   */
  void removeClient(ClientSession client) {
    if (clients.remove(client.id) == null) {
      return;
    }
    client.gone = true;
    for (TaskRecord task : client.queue) {
      task.moveTo(TaskState.CANCELLED);
      tasks.remove(task.id);
      stats.cancelled++;
    }
    client.queue.clear();
    readyRing.remove(client);
    client.inReadyRing = false;
    // Workers may now release the session's cached classes and loaders.
    bus.publish(Protocol.BUS_SESSION_ENDED, Frame.of(new SessionEnded(client.id)).encode());
    log.info("client {} ({}) left", client.id, client.peer.name());
  }

  /** A client asks to run a task. Answers a duplicate id with a typed error for that task only. */
  void submit(ClientSession client, Submit submit, Buffer payload) {
    if (client.gone) {
      return;
    }
    if (client.openTasks.containsKey(submit.taskId())) {
      client.sink.send(Frame.of(new ErrorReply(ErrorCode.DUPLICATE_TASK, "task id " + submit.taskId()
          + " is already in flight in this session; use a new id for every task", submit.taskId())));
      return;
    }
    if (submit.timeoutMillis() < 0) {
      client.sink.send(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME, "timeoutMillis " + submit.timeoutMillis()
          + " is negative; use 0 for no timeout", submit.taskId())));
      return;
    }
    if (submit.rtype() < 0 || submit.rtype() > 2) {
      client.sink.send(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME, "rtype " + submit.rtype()
          + " is not an isolation mode; use 0 (fresh class loader per task), 1 or 2 (one per session)",
          submit.taskId())));
      return;
    }
    TaskRecord task = new TaskRecord(nextTaskId++, submit.taskId(), client, submit.kind(), submit.rtype(),
        submit.loader(), submit.timeoutMillis(), payload);
    tasks.put(task.id, task);
    client.openTasks.put(task.clientTaskId, task);
    client.queue.addLast(task);
    client.submitted++;
    stats.submitted++;
    markReady(client);
    pump();
  }

  /**
   * A client cancels one of its tasks; it expects no reply, and a task it does not have open (unknown, already
   * answered or cancelled) is ignored. A queued task is dropped and will never be dispatched. A task a worker
   * slot holds moves to CANCELLING: the slot is sent the cancel under the server's task id (to interrupt the
   * task if {@code interrupt}), the task's result will be discarded, and the slot stays busy until that result,
   * or the slot's loss, says it is free.
   */
  void cancel(ClientSession client, Cancel cancel) {
    TaskRecord task = client.openTasks.remove(cancel.taskId());
    if (task == null) {
      return;
    }
    client.cancelled++;
    stats.cancelled++;
    switch (task.state()) {
      case QUEUED, REQUEUED -> {
        client.queue.remove(task);
        tasks.remove(task.id);
        task.moveTo(TaskState.CANCELLED);
      }
      case DISPATCHED, RUNNING -> {
        task.moveTo(TaskState.CANCELLING);
        bus.send(task.slot.address, Frame.of(new Cancel(task.id, cancel.interrupt())).encode());
      }
      default -> throw new IllegalStateException("task " + task.id + " is open for its client in state "
          + task.state());
    }
  }

  /**
   * A client stops now ({@link Withdraw}): its queued tasks are dropped, never to be dispatched, and named in
   * the {@link Withdrawn} reply so the client can hand them back as never started; its tasks on worker slots
   * are interrupted (a {@link Cancel} with interrupt to each slot) but stay open, so their outcome still
   * reaches the client, as in a {@code ThreadPoolExecutor} shut down now.
   */
  void withdraw(ClientSession client) {
    List<Long> neverStarted = new ArrayList<>(client.queue.size());
    for (TaskRecord task : client.queue) {
      client.openTasks.remove(task.clientTaskId);
      tasks.remove(task.id);
      task.moveTo(TaskState.CANCELLED);
      client.cancelled++;
      stats.cancelled++;
      neverStarted.add(task.clientTaskId);
    }
    client.queue.clear();
    for (TaskRecord task : client.openTasks.values()) {
      if (task.state() == TaskState.DISPATCHED || task.state() == TaskState.RUNNING) {
        bus.send(task.slot.address, Frame.of(new Cancel(task.id, true)).encode());
      }
    }
    client.sink.send(Frame.of(new Withdrawn(neverStarted)));
  }

  private void markReady(ClientSession client) {
    if (!client.inReadyRing && !client.queue.isEmpty()) {
      client.inReadyRing = true;
      readyRing.addLast(client);
    }
  }

  // ---- worker slots -----------------------------------------------------------------------------------

  /**
   * A slot joined. A slot that registers again under an address already known (a bus worker retries its
   * registration when the reply was lost) replaces the old registration, whose task, if any, is requeued.
   */
  WorkerSlot addSlot(String address, io.antpool.protocol.PeerInfo peer, String remoteIp, WorkerKind kind) {
    if (slots.containsKey(address)) {
      removeSlot(address, "it registered again");
    }
    WorkerSlot slot = new WorkerSlot(address, peer, remoteIp, kind, nextSlotSeq++);
    slots.put(address, slot);
    freeSlots.add(slot);
    log.info("worker slot {} ({}, {}, score {}) joined", address, peer.name(), kind.wireName(), peer.cpuScore());
    pump();
    return slot;
  }

  /**
   * A slot left or was found dead. Its task, if any, is queued again at the head of its client's queue, or
   * failed with WORKER_LOST once it has been tried {@code maxAttempts} times.
   */
  void removeSlot(String address, String reason) {
    WorkerSlot slot = slots.remove(address);
    if (slot == null) {
      return;
    }
    freeSlots.remove(slot);
    log.info("worker slot {} ({}) left: {}", address, slot.displayName(), reason);
    TaskRecord task = slot.task;
    slot.task = null;
    if (task != null && !task.state().isTerminal()) {
      task.slot = null;
      task.lostWorkers.add(slot.displayName());
      task.client.running--;
      if (task.client.gone || task.state() == TaskState.CANCELLING) {
        task.moveTo(TaskState.CANCELLED);
        tasks.remove(task.id);
      } else if (task.attempts >= maxAttempts) {
        task.moveTo(TaskState.FAILED);
        tasks.remove(task.id);
        String message = "task was lost with every worker it ran on (" + String.join(", ", task.lostWorkers)
            + "), " + task.attempts + " attempt(s) of at most " + maxAttempts
            + "; check those workers' logs, or raise maxAttempts in the server configuration";
        finish(task, new Result(task.clientTaskId, Result.Status.LOST, "io.antpool.WorkerLostException", message,
            String.join(", ", task.lostWorkers)), Buffer.buffer(0));
      } else {
        task.moveTo(TaskState.REQUEUED);
        stats.rerun++;
        task.client.queue.addFirst(task);
        markReady(task.client);
      }
    }
    pump();
  }

  /**
   * A worker reports a task's outcome, which frees its slot; stale reports (a task already rerun elsewhere) are
   * ignored. The outcome of a cancelled task is discarded.
   */
  void onResult(String address, Result result, Buffer payload) {
    WorkerSlot slot = slots.get(address);
    TaskRecord task = tasks.get(result.taskId());
    if (slot == null || task == null || task.slot != slot) {
      log.debug("ignoring stale result for task {} from {}", result.taskId(), address);
      return;
    }
    slot.task = null;
    slot.tasksRun++;
    task.slot = null;
    task.client.running--;
    tasks.remove(task.id);
    if (task.state() == TaskState.CANCELLING) {
      task.moveTo(TaskState.CANCELLED);
      freeSlots.add(slot);
      pump();
      return;
    }
    boolean ok = result.status() == Result.Status.VALUE;
    task.moveTo(ok ? TaskState.DONE : TaskState.FAILED);
    if (!ok) {
      slot.failures++;
    }
    stats.recordLatency(System.nanoTime() - task.submittedAtNanos);
    freeSlots.add(slot);
    finish(task, new Result(task.clientTaskId, result.status(), result.errorClass(), result.errorMessage(),
        slot.displayName()), payload);
    pump();
  }

  private void finish(TaskRecord task, Result result, Buffer payload) {
    ClientSession client = task.client;
    if (result.status() == Result.Status.VALUE) {
      client.completed++;
      stats.completed++;
    } else {
      client.failed++;
      stats.failed++;
    }
    client.openTasks.remove(task.clientTaskId);
    if (!client.gone) {
      client.sink.send(new Frame(result, payload));
    }
  }

  // ---- dispatch ---------------------------------------------------------------------------------------

  /** Hands queued tasks to free slots while both exist. */
  private void pump() {
    while (!freeSlots.isEmpty() && !readyRing.isEmpty()) {
      ClientSession client = readyRing.pollFirst();
      client.inReadyRing = false;
      TaskRecord task = client.queue.pollFirst();
      markReady(client);
      if (task == null) {
        continue;
      }
      dispatch(freeSlots.pollFirst(), task);
    }
  }

  private void dispatch(WorkerSlot slot, TaskRecord task) {
    task.moveTo(TaskState.DISPATCHED);
    task.attempts++;
    task.slot = slot;
    task.client.running++;
    slot.task = task;
    Frame frame = new Frame(new Dispatch(task.id, task.client.id, task.kind, task.rtype, task.attempts,
        task.loader, task.timeoutMillis), task.payload);
    bus.request(slot.address, frame.encode(), new DeliveryOptions().setSendTimeout(ackTimeoutMillis))
        .onComplete(ack -> {
          if (task.slot != slot) {
            return; // already finished or moved on
          }
          if (ack.succeeded()) {
            if (task.state() == TaskState.DISPATCHED) {
              task.moveTo(TaskState.RUNNING);
            }
          } else {
            removeSlot(slot.address, "it did not accept task " + task.id + ": " + ack.cause().getMessage());
          }
        });
  }

  // ---- views ------------------------------------------------------------------------------------------

  Collection<WorkerSlot> slots() {
    return Collections.unmodifiableCollection(slots.values());
  }

  Collection<ClientSession> clients() {
    return Collections.unmodifiableCollection(clients.values());
  }

  int queueDepth() {
    int depth = 0;
    for (Iterator<ClientSession> it = clients.values().iterator(); it.hasNext(); ) {
      depth += it.next().queue.size();
    }
    return depth;
  }

  int busySlots() {
    return slots.size() - freeSlots.size();
  }
}
