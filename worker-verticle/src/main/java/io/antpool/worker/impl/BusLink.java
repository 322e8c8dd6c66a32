package io.antpool.worker.impl;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Recall;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Drain;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.SessionEnded;
import io.antpool.protocol.impl.Backoff;
import io.antpool.protocol.impl.ClusterNode;
import io.antpool.protocol.Welcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker slot living on the server's event bus: deployed in the server's own Vert.x, or in a JVM of the
 * server's Vert.x cluster (then it names its cluster member on every message it sends). It consumes dispatches
 * (acknowledging each on receipt) and cancels at its slot address, and registers with a {@link Hello} on
 * {@link Protocol#BUS_REGISTER}, retrying with backoff until a server answers.
 */
public final class BusLink implements WorkerLink {
  private static final Logger log = LoggerFactory.getLogger(BusLink.class);

  private final Vertx vertx;
  private final String address;
  private final Supplier<Hello> hello;
  private final SlotHandler handler;
  private final java.util.function.Consumer<String> sessionEnded;
  private MessageConsumer<Buffer> endings;
  private final long fetchTimeoutMillis;
  private final Backoff backoff;
  /** How often a registered slot asks whether the server still holds it. */
  private static final long PING_MILLIS = 2_000;

  private final AtomicLong nextFetchId = new AtomicLong(1);
  private MessageConsumer<Buffer> consumer;
  private volatile boolean stopped;
  /** A registration is under way (its retries included); pings wait for it. */
  private boolean registering;
  private long pingTimer = -1;
  /** This JVM's cluster member id, or null when the Vert.x is not clustered. */
  private final String node;

  public BusLink(Vertx vertx, String address, Supplier<Hello> hello, SlotHandler handler,
      java.util.function.Consumer<String> sessionEnded, long fetchTimeoutMillis, long reconnectMaxMillis) {
    this.sessionEnded = sessionEnded;
    this.vertx = vertx;
    this.address = address;
    this.hello = hello;
    this.handler = handler;
    this.fetchTimeoutMillis = fetchTimeoutMillis;
    this.backoff = new Backoff(250, reconnectMaxMillis);
    this.node = ClusterNode.idOf(vertx);
  }

  private DeliveryOptions fromMe() {
    DeliveryOptions options = new DeliveryOptions().addHeader(Protocol.BUS_SLOT_HEADER, address);
    if (node != null) {
      options.addHeader(Protocol.BUS_NODE_HEADER, node);
    }
    return options;
  }

  @Override
  public Future<Void> start() {
    EventBus bus = vertx.eventBus();
    consumer = bus.<Buffer>consumer(address, msg -> {
      msg.reply(Buffer.buffer(0)); // a dispatch's acknowledgement; a cancel or recall has no reply address
      Frame frame = Frame.decode(msg.body());
      if (frame.header() instanceof Cancel c) {
        handler.onCancel(c);
      } else if (frame.header() instanceof Recall r) {
        handler.onRecall(r);
      } else {
        handler.onDispatch(frame);
      }
    });
    endings = bus.<Buffer>consumer(Protocol.BUS_SESSION_ENDED, msg -> {
      if (Frame.decode(msg.body()).header() instanceof SessionEnded ended) {
        sessionEnded.accept(ended.session());
      }
    });
    return Future.all(consumer.completion(), endings.completion()).onSuccess(v -> register()).mapEmpty();
  }

  private void register() {
    if (stopped) {
      return;
    }
    registering = true;
    vertx.eventBus().<Buffer>request(Protocol.BUS_REGISTER, Frame.of(hello.get()).encode(), fromMe())
        .onSuccess(reply -> {
          Frame frame = Frame.decode(reply.body());
          registering = false;
          if (frame.header() instanceof Welcome) {
            backoff.reset();
            if (pingTimer < 0) {
              pingTimer = vertx.setPeriodic(PING_MILLIS, t -> ping());
            }
            System.out.println("AntPool worker " + hello.get().peer().name() + " joined the event bus as "
                + address);
          } else if (frame.header() instanceof ErrorReply e) {
            log.error("server refused this worker: {} {}", e.code(), e.message());
          }
        })
        .onFailure(e -> {
          long delay = backoff.nextDelayMillis();
          if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
            log.info("no AntPool server on the event bus yet ({}); retrying in {} ms", e.getMessage(), delay);
          }
          vertx.setTimer(delay, t -> register());
        });
  }

  /**
   * Asks the server whether it still holds this slot: one that restarted (or dropped the slot as gone) does
   * not, and the slot registers again. While no server answers, nothing is done: the next ping asks again.
   */
  private void ping() {
    if (stopped || registering) {
      return;
    }
    vertx.eventBus().<Buffer>request(Protocol.BUS_PING, Buffer.buffer(0), fromMe().setSendTimeout(PING_MILLIS))
        .onSuccess(reply -> {
          if (!stopped && !registering && reply.body().length() == 1 && reply.body().getByte(0) == 0) {
            log.info("the AntPool server on the event bus does not hold slot {} (it restarted, or took the slot"
                + " for gone): registering again", address);
            register();
          }
        });
  }

  @Override
  public long epoch() {
    return 0;
  }

  @Override
  public void sendResult(Frame result, long epoch) {
    vertx.eventBus().send(Protocol.BUS_RESULTS, result.encode(), fromMe());
  }

  /** On the results address, so that it keeps its place before the task's result. */
  @Override
  public void sendNotice(Frame notice, long epoch) {
    vertx.eventBus().send(Protocol.BUS_RESULTS, notice.encode(), fromMe());
  }

  @Override
  public SessionResources.Fetched fetch(String session, int loader, String path, java.util.List<String> known)
      throws IOException {
    CompletableFuture<Frame> reply = new CompletableFuture<>();
    Frame request = Frame.of(new Fetch(nextFetchId.getAndIncrement(), session, path, loader, known));
    vertx.eventBus().<Buffer>request(Protocol.BUS_FETCH, request.encode(),
            fromMe().setSendTimeout(fetchTimeoutMillis + 5_000))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            reply.complete(Frame.decode(ar.result().body()));
          } else {
            reply.completeExceptionally(ar.cause());
          }
        });
    return FetchResults.await(reply, fetchTimeoutMillis + 10_000, path, () -> { });
  }

  @Override
  public void drain() {
    vertx.eventBus().send(Protocol.BUS_RESULTS, Frame.of(new Drain()).encode(), fromMe());
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    if (pingTimer >= 0) {
      vertx.cancelTimer(pingTimer);
    }
    Future<Void> left = vertx.eventBus().request(Protocol.BUS_LEAVE, Buffer.buffer(0),
        fromMe().setSendTimeout(5_000)).mapEmpty();
    return left.transform(ar -> consumer == null ? Future.succeededFuture()
        : Future.all(consumer.unregister(), endings.unregister()).mapEmpty());
  }
}
