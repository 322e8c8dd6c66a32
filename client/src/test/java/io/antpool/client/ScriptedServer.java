package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.FrameBatch;
import io.antpool.task.TaskCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the AntPool server on 127.0.0.1 that speaks {@code antpool.v2} as the test tells it: it welcomes
 * every client and hands each submit to the test, which answers with progress reports and a result. Nothing
 * runs the tasks. Like a real server it sends a message over 64 KiB in fragments (here of 64 KiB, Vert.x's default
 * frame size); it tells the test each hello it gets and each close code (-1: none).
 */
final class ScriptedServer implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  /** The session every client is welcomed into. */
  static final String SESSION = "c-scripted";
  private final BlockingQueue<Submitted> submits = new LinkedBlockingQueue<>();
  private final BlockingQueue<Hello> hellos = new LinkedBlockingQueue<>();
  private final BlockingQueue<Short> closes = new LinkedBlockingQueue<>();
  private final HttpServer http;
  /** The number of frames in each WebSocket message received, in order (1: a frame alone, or a batch of one). */
  private final BlockingQueue<Integer> messages = new LinkedBlockingQueue<>();

  /** A task a client submitted, and the socket to answer it on. */
  record Submitted(ServerWebSocket ws, Submit submit) {
    private void send(Message header, byte[] payload) {
      ws.writeBinaryMessage(Frame.of(header, payload).encode());
    }

    void progress(long done, long total, String message) {
      send(new Progress(submit.taskId(), done, total, message), new byte[0]);
    }

    void value(Object value) {
      send(Result.value(submit.taskId(), "scripted"), TaskCodec.encodeValue(value));
    }

    void error(Throwable error) {
      send(new Result(submit.taskId(), Result.Status.ERROR, error.getClass().getName(), error.getMessage(),
          "scripted"), TaskCodec.encodeThrowable(error));
    }
  }

  ScriptedServer() throws Exception {
    http = vertx.createHttpServer(new HttpServerOptions().setWebSocketSubProtocols(List.of(Protocol.SUBPROTOCOL)))
        .webSocketHandler(ws -> {
          ws.closeHandler(v -> closes.add(ws.closeStatusCode() == null ? -1 : ws.closeStatusCode()));
          ws.binaryMessageHandler(message -> {
            List<Buffer> frames = FrameBatch.split(message); // a client coalesces what it sends in one turn
            messages.add(frames.size());
            for (Buffer wire : frames) {
              Message m = Frame.decode(wire).header();
              if (m instanceof Hello h) {
                hellos.add(h);
                ws.writeBinaryMessage(Frame.of(new Welcome(SESSION, Protocol.VERSION, "test")).encode());
              } else if (m instanceof Submit s) {
                submits.add(new Submitted(ws, s));
              }
            }
          });
        });
    http.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** How many frames the next WebSocket message received carried. */
  int nextMessageFrames() throws InterruptedException {
    Integer n = messages.poll(30, TimeUnit.SECONDS);
    assertNotNull(n, "no message within 30 s");
    return n;
  }

  String url() {
    return "ws://127.0.0.1:" + http.actualPort();
  }

  /** The next task a client submitted. */
  Submitted nextSubmit() throws InterruptedException {
    return next(submits, "submit");
  }

  /** The next hello a client sent. */
  Hello nextHello() throws InterruptedException {
    return next(hellos, "hello");
  }

  /** The close code of the next connection that closed. */
  short nextClose() throws InterruptedException {
    return next(closes, "close");
  }

  private static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
    T item = queue.poll(30, TimeUnit.SECONDS);
    assertNotNull(item, "no " + what + " within 30 s");
    return item;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
