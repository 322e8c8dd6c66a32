package io.antpool.worker.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.antpool.AuthenticationException;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Recall;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.LocalPeer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A worker sends its frames unmasked unless told to mask them, and one the other end refuses for that (a
 * stricter server, or a proxy) masks them from then on: checked against stand-in servers on loopback, one that
 * accepts unmasked frames as the AntPool server does and one that refuses them as Vert.x (and RFC 6455) does by
 * default.
 */
class WebSocketLinkMaskingTest {
  private final Vertx vertx = Vertx.vertx();
  private final Logger logger = (Logger) LoggerFactory.getLogger(WebSocketLink.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  /** WebSockets the stand-in server opened, counted from 1. */
  private final AtomicInteger connections = new AtomicInteger();
  /** The number of each connection on which the stand-in welcomed the worker. */
  private final BlockingQueue<Integer> welcomed = new LinkedBlockingQueue<>();
  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private WebSocketLink link;
  private Context context;

  /** What the stand-in server does with a hello. */
  private enum Answer {
    WELCOME,
    /** An error reply, then close 1002: what an AntPool server does with a hello of another protocol version. */
    REFUSE_HELLO,
    /** Close 1002 without a word: what a server or proxy built on Netty's defaults does with an unmasked frame. */
    CLOSE_1002,
    /** Close 1001 without a word: a server going away. */
    CLOSE_1001
  }

  @BeforeEach
  void captureLog() {
    logged.start();
    logger.addAppender(logged);
  }

  @AfterEach
  void stop() throws Exception {
    logger.detachAppender(logged);
    if (link != null) {
      link.stop().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /**
   * A stand-in server that accepts unmasked frames or not (when not, Vert.x drops a connection at its first
   * unmasked frame, without a close frame), and answers the hello on its first connections as {@code firstAnswers} says, then
   * with a welcome.
   */
  private HttpServer standIn(boolean acceptUnmasked, Answer... firstAnswers) throws Exception {
    HttpServer http = vertx.createHttpServer(new HttpServerOptions()
            .setWebSocketSubProtocols(List.of(Protocol.SUBPROTOCOL))
            .setMaxWebSocketFrameSize(1024 * 1024) // as the AntPool server's
            .setAcceptUnmaskedFrames(acceptUnmasked))
        .webSocketHandler(ws -> {
          int number = connections.incrementAndGet();
          Answer answer = number <= firstAnswers.length ? firstAnswers[number - 1] : Answer.WELCOME;
          ws.binaryMessageHandler(wire -> {
            Frame frame = Frame.decode(wire);
            if (!(frame.header() instanceof Hello)) {
              received.add(frame);
              return;
            }
            switch (answer) {
              case WELCOME -> {
                ws.writeBinaryMessage(Frame.of(new Welcome("w-session", Protocol.VERSION, "test")).encode());
                welcomed.add(number);
              }
              case REFUSE_HELLO -> ws.writeBinaryMessage(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME,
                  "another version", null)).encode()).compose(v -> ws.close(CloseCodes.PROTOCOL_ERROR, "version"));
              case CLOSE_1002 -> ws.close(CloseCodes.PROTOCOL_ERROR, "received a frame that is not masked");
              case CLOSE_1001 -> ws.close((short) 1001, "going away");
            }
          });
        });
    return http.listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
  }

  private void start(HttpServer http, boolean maskFrames) throws Exception {
    Hello hello = new Hello(Role.WORKER, Protocol.VERSION, LocalPeer.describe("masking#1", 1), null);
    WorkerLink.SlotHandler handler = new WorkerLink.SlotHandler() {
      @Override
      public void onDispatch(Frame dispatch) {
      }

      @Override
      public void onCancel(Cancel cancel) {
      }

      @Override
      public void onRecall(Recall recall) {
      }

      @Override
      public void onRefused(AuthenticationException refusal) {
      }
    };
    link = new WebSocketLink(vertx, URI.create("ws://127.0.0.1:" + http.actualPort()), ClientTls.DEFAULT, maskFrames,
        () -> hello, handler, session -> { }, 10_000, 1_000, 30_000);
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> link.start()); // as a worker verticle starts it: on the context its socket lives on
  }

  /** The worker's result reaches the server whole: the connection it joined on carries its frames. */
  private void assertAResultArrives() throws Exception {
    context.runOnContext(v -> link.sendResult(Frame.of(new Result(5, Result.Status.VALUE, null, null, "masking#1"),
        new byte[100_000]), link.epoch()));
    Frame result = received.poll(30, TimeUnit.SECONDS);
    assertNotNull(result, "no result reached the server");
    assertEquals(5, ((Result) result.header()).taskId());
    assertEquals(100_000, result.payload().length());
  }

  private List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void unmaskedFramesJoinAServerThatAcceptsThemOnTheFirstAttempt() throws Exception {
    start(standIn(true), false);
    assertEquals(1, welcomed.poll(30, TimeUnit.SECONDS));
    assertAResultArrives();
    assertEquals(1, connections.get());
    assertEquals(List.of(), warnings());
    assertFalse(link.masksFrames());
  }

  @Test
  void aWorkerDroppedForUnmaskedFramesMasksThemFromThenOn() throws Exception {
    start(standIn(false), false); // the stand-in drops the first connection at the worker's unmasked hello
    assertEquals(2, welcomed.poll(30, TimeUnit.SECONDS));
    assertAResultArrives();
    assertEquals(2, connections.get());
    assertTrue(link.masksFrames());
    List<String> warnings = warnings();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("ended the connection before answering this worker's hello, which it sent"
        + " in unmasked WebSocket frames (no close frame): in case it refuses unmasked frames, this worker masks"
        + " them from now on"), warnings.get(0));
    assertTrue(warnings.get(0).contains("--mask-frames"), warnings.get(0));
  }

  @Test
  void aCloseWith1002BeforeAnyAnswerAlsoTurnsMaskingOn() throws Exception {
    start(standIn(true, Answer.CLOSE_1002), false);
    assertEquals(2, welcomed.poll(30, TimeUnit.SECONDS));
    assertTrue(link.masksFrames());
    List<String> warnings = warnings();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("(1002 received a frame that is not masked)"), warnings.get(0));
  }

  @Test
  void maskFramesJoinsAServerThatRefusesUnmaskedOnTheFirstAttempt() throws Exception {
    start(standIn(false), true);
    assertEquals(1, welcomed.poll(30, TimeUnit.SECONDS));
    assertAResultArrives();
    assertEquals(1, connections.get());
    assertEquals(List.of(), warnings());
  }

  @Test
  void aHelloRefusedWithAnAnswerLeavesFramesUnmasked() throws Exception {
    // an AntPool server refusing a hello answers before it closes with 1002: not a refusal of unmasked frames
    start(standIn(true, Answer.REFUSE_HELLO), false);
    assertEquals(2, welcomed.poll(30, TimeUnit.SECONDS));
    assertAResultArrives();
    assertEquals(List.of(), warnings());
    assertFalse(link.masksFrames());
  }

  @Test
  void anotherCloseBeforeAnyAnswerLeavesFramesUnmasked() throws Exception {
    start(standIn(true, Answer.CLOSE_1001), false);
    assertEquals(2, welcomed.poll(30, TimeUnit.SECONDS));
    assertEquals(List.of(), warnings());
    assertFalse(link.masksFrames());
  }
}
