package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.SessionEnded;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionEndFanout} on a real event bus, as the scheduler uses it: a {@link SessionEnded} published on
 * {@link Protocol#BUS_SESSION_ENDED} reaches every registered worker connection once, and none after it was
 * removed; a connection leaving during a fan-out (its write failed and closed it) does not disturb the others.
 * Every call runs on one context, as in the server; the test thread waits on queues.
 */
class SessionEndFanoutTest {
  private static final long WAIT_SECONDS = 30;

  private Vertx vertx;
  private Context loop;
  private SessionEndFanout fanout;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    fanout = onLoop(() -> new SessionEndFanout(vertx.eventBus()));
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.runOnContext(v -> fanout.start().onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(null);
      } else {
        started.completeExceptionally(ar.cause());
      }
    }));
    started.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void everyConnectionGetsEachSessionEndAndNoneAfterItLeft() throws Exception {
    List<BlockingQueue<Buffer>> received = new ArrayList<>();
    List<Handler<Buffer>> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BlockingQueue<Buffer> queue = new LinkedBlockingQueue<>();
      received.add(queue);
      workers.add(queue::add);
    }
    onLoop(() -> workers.forEach(fanout::add));
    assertEquals(3, (int) onLoop(fanout::size));

    publish("c-1");
    for (BlockingQueue<Buffer> queue : received) {
      assertEquals("c-1", session(queue));
    }

    onLoop(() -> fanout.remove(workers.get(1)));
    assertEquals(2, (int) onLoop(fanout::size));
    publish("c-2");
    assertEquals("c-2", session(received.get(0)));
    assertEquals("c-2", session(received.get(2)));
    // one delivery writes to every connection in turn: the others have it, so the one that left would by now
    assertTrue(received.get(1).isEmpty(), "a connection that left still got a session's end");
    assertTrue(received.get(0).isEmpty() && received.get(2).isEmpty(), "a session's end was sent twice");
  }

  @Test
  void aConnectionLeavingDuringAFanOutDoesNotDisturbTheOthers() throws Exception {
    BlockingQueue<Buffer> first = new LinkedBlockingQueue<>();
    BlockingQueue<Buffer> last = new LinkedBlockingQueue<>();
    Handler<Buffer> firstWorker = first::add;
    Handler<Buffer> leaving = new Handler<>() {
      @Override
      public void handle(Buffer frame) {
        fanout.remove(this); // as a connection whose write failed and closed it
        fanout.remove(firstWorker);
      }
    };
    onLoop(() -> {
      fanout.add(firstWorker);
      fanout.add(leaving);
      fanout.add(last::add);
    });
    publish("c-1");
    assertEquals("c-1", session(first));
    assertEquals("c-1", session(last));
    assertEquals(1, (int) onLoop(fanout::size));
  }

  private void publish(String session) throws Exception {
    onLoop(() -> vertx.eventBus().publish(Protocol.BUS_SESSION_ENDED, Frame.of(new SessionEnded(session)).encode()));
  }

  /** The session whose end {@code queue} received next. */
  private static String session(BlockingQueue<Buffer> queue) throws InterruptedException {
    Buffer frame = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(frame, "no session's end within " + WAIT_SECONDS + " s");
    return assertInstanceOf(SessionEnded.class, Frame.decode(frame).header()).session();
  }

  private <T> T onLoop(Callable<T> action) throws Exception {
    return OnContext.call(loop, WAIT_SECONDS, action);
  }

  private void onLoop(Runnable action) throws Exception {
    OnContext.run(loop, WAIT_SECONDS, action);
  }
}
