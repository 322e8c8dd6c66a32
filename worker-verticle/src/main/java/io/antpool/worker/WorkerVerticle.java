package io.antpool.worker;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.AuthenticationException;
import io.antpool.auth.TokenSource;
import io.antpool.protocol.Hello;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Role;
import io.antpool.worker.impl.BusLink;
import io.antpool.worker.impl.CpuScore;
import io.antpool.protocol.impl.LocalPeer;
import io.antpool.worker.impl.SessionResources;
import io.antpool.worker.impl.TaskProgressReporter;
import io.antpool.worker.impl.TaskRunner;
import io.antpool.worker.impl.Warmup;
import io.antpool.worker.impl.WebSocketLink;
import io.antpool.worker.impl.WorkerLink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution slot of the pool: deploy N instances ({@code -instances N}) for N slots. Each instance joins
 * the server, receives one task at a time, runs it on its own worker thread (never on an event loop, and
 * with no limit on how long it may run) inside a task class loader fed from the submitting client, and sends
 * back the value or the exception. A cancel with interrupt from the server interrupts that thread while it runs
 * the cancelled task (the task still reports how it ended, which tells the server the slot is free). A running
 * task's progress reports ({@link io.antpool.TaskContext}) go to the server at most every 250 ms, and never after
 * its result.
 *
 * <p>Configuration is {@link WorkerOptions} as JSON. By default a slot connects over a WebSocket to
 * {@code ws://127.0.0.1:8086} and reconnects with backoff while the server is away; with
 * {@code "transport": "eventbus"} it lives on the event bus of the Vert.x it is deployed in, which is also the
 * default in a clustered Vert.x ({@code vertx run WorkerVerticle -cluster}): there the slot takes its tasks on the
 * clustered event bus, from the server of the same cluster.
 */
public class WorkerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);
  private static final AtomicInteger SLOTS_IN_JVM = new AtomicInteger();
  /**
   * Local event-bus address where a slot whose credential the server refused publishes the refusal's message
   * (a string) before it undeploys itself; {@code antpool worker} listens there and exits with it.
   */
  public static final String REFUSED_ADDRESS = "antpool.worker.refused";
  /** Fetched classes are shared by all slots of this JVM. */
  private static final SessionResources RESOURCES = new SessionResources();

  private WorkerLink link;
  private WorkerExecutor thread;
  private TaskRunner runner;
  private long drainTimeoutMillis;
  /** Tasks this slot holds, dispatched and not yet answered (touched on the verticle's context). */
  private int running;
  /** Completed once {@link #running} is back to 0 while draining. */
  private Promise<Void> idle;

  @Override
  public Future<?> start() {
    WorkerOptions options;
    try {
      options = WorkerOptions.fromJson(config());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    drainTimeoutMillis = options.getDrainTimeoutMillis();
    int slot = SLOTS_IN_JVM.incrementAndGet();
    thread = vertx.createSharedWorkerExecutor("antpool-slot-" + slot + "-" + UUID.randomUUID(), 1,
        3650, TimeUnit.DAYS);
    return vertx.executeBlocking(() -> {
      Warmup.once();
      return CpuScore.get();
    }).compose(score -> {
      String name = options.getName() != null ? options.getName() + "#" + slot : null;
      PeerInfo peer = LocalPeer.describe(name, score);
      if (name == null) {
        peer = LocalPeer.describe(peer.host() + "/" + peer.pid() + "#" + slot, score);
      }
      PeerInfo me = peer.withTags(options.getTags());
      String secret = options.getPassword() != null ? options.getPassword()
          : TokenSource.resolve(options.getToken());
      Hello hello = new Hello(Role.WORKER, Protocol.VERSION, me, null).withCredential(options.getUser(), secret);
      WorkerLink.SlotHandler handler = new WorkerLink.SlotHandler() {
        @Override
        public void onDispatch(Frame dispatch) {
          WorkerVerticle.this.onDispatch(dispatch);
        }

        @Override
        public void onRefused(AuthenticationException refusal) {
          log.error("{}", refusal.getMessage());
          // whoever runs this worker (antpool worker) listens here and exits with the message
          vertx.eventBus().publish(REFUSED_ADDRESS, refusal.getMessage());
          vertx.undeploy(deploymentID());
        }

        @Override
        public void onCancel(Cancel cancel) {
          if (runner.cancel(cancel.taskId(), cancel.interrupt())) {
            log.info("task {} cancelled by its client, {}", cancel.taskId(),
                cancel.interrupt() ? "interrupting it" : "not interrupting it");
          }
        }

        @Override
        public void onRecall(Recall recall) {
          // answered on this context, where results are sent: a result sent before this answer arrives first
          link.sendNotice(Frame.of(new Recalled(recall.taskId(), runner.recall(recall.taskId()))), link.epoch());
        }
      };
      // in a clustered Vert.x a worker takes its tasks on the clustered event bus unless told otherwise
      boolean onBus = options.getTransport() == WorkerOptions.Transport.EVENTBUS
          || (vertx.isClustered() && !config().containsKey("transport"));
      if (onBus) {
        link = new BusLink(vertx, Protocol.BUS_SLOT_PREFIX + "bus-" + UUID.randomUUID(), () -> hello,
            handler, RESOURCES::forget, options.getFetchTimeoutMillis(), options.getReconnectMaxMillis());
      } else {
        link = new WebSocketLink(vertx, options.serverUri(), options.tls(), options.isMaskFrames(), () -> hello,
            handler, RESOURCES::forget, options.getFetchTimeoutMillis(), options.getReconnectMaxMillis(),
            options.getServerTimeoutMillis());
      }
      runner = new TaskRunner(RESOURCES, link::fetch, me.name());
      return link.start();
    });
  }

  private void onDispatch(Frame frame) {
    Dispatch dispatch = (Dispatch) frame.header();
    runner.accept(dispatch.taskId());
    long epoch = link.epoch();
    running++;
    // reports travel through this context, as the result does, so none can overtake it
    TaskProgressReporter progress = new TaskProgressReporter(System::nanoTime,
        (delayMillis, action) -> vertx.setTimer(delayMillis, t -> action.run()),
        report -> context.runOnContext(v -> link.sendNotice(Frame.of(Progress.of(dispatch.taskId(), report)),
            epoch)));
    thread.executeBlocking(() -> runner.run(dispatch, frame.payload(), progress), false)
        .onSuccess(result -> {
          if (result != null) { // null: recalled before it started, the server has it back
            link.sendResult(result, epoch);
          }
          running--;
          if (running == 0 && idle != null) {
            idle.tryComplete();
          }
          // the slot's thread is free until the next task: it prepares what that task may need, if anything
          // (no hop to that thread otherwise: with tiny tasks, each hop is a good share of a task's cost)
          if (runner.hasPreparation()) {
            thread.executeBlocking(() -> {
              runner.prepareNext();
              return null;
            }, false);
          }
        });
  }

  /**
   * Stops gracefully (SIGTERM, Ctrl-C, undeployment): tells the server to send nothing more, lets the task the
   * slot runs end and sends its result, within {@code drainTimeoutMillis}, then leaves. A task still running
   * at the deadline is left to the server, which runs it again elsewhere once this slot is gone.
   */
  @Override
  public Future<?> stop() {
    Future<Void> drained = link == null ? Future.succeededFuture() : drain();
    return drained.transform(ar -> leave());
  }

  private Future<Void> drain() {
    idle = Promise.promise();
    link.drain();
    if (running == 0) {
      idle.tryComplete();
    } else {
      log.info("stopping: waiting up to {} ms for the running task to end", drainTimeoutMillis);
      vertx.setTimer(Math.max(1, drainTimeoutMillis), t -> {
        if (idle.tryComplete()) {
          log.warn("stopping: the running task did not end within {} ms; the server will run it again elsewhere",
              drainTimeoutMillis);
        }
      });
    }
    return idle.future();
  }

  private Future<?> leave() {
    Future<Void> left = link == null ? Future.succeededFuture() : link.stop();
    return left.transform(ar -> thread == null ? Future.succeededFuture() : thread.close());
  }
}
