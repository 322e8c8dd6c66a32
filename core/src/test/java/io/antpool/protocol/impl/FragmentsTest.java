package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.task.impl.ChunkedOutput;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Fragments}: a joined message leaves in frames cut along its arrays, and arrives whole. */
class FragmentsTest {

  /** A serialized result of {@code size} random bytes, framed as a worker frames it (header joined to chunks). */
  private static Buffer largeResult(int size, byte[] into) {
    new Random(size).nextBytes(into);
    ChunkedOutput out = new ChunkedOutput();
    out.write(into, 0, size);
    return new Frame(new Result(7, Result.Status.VALUE, null, null, "w"), out.toBuffer()).encode();
  }

  @Test
  void framesAreTheMessageInOrderEachAtMostOneMibAndLargePartsAreNotCopied() {
    byte[] bytes = new byte[3 * 1024 * 1024 + 5];
    Buffer message = largeResult(bytes.length, bytes);

    List<Buffer> frames = Fragments.split(message);

    Buffer joined = Buffer.buffer();
    frames.forEach(joined::appendBuffer);
    assertEquals(message, joined);
    for (Buffer f : frames) {
      assertTrue(f.length() > 0 && f.length() <= Fragments.MAX_FRAME_BYTES, "frame of " + f.length() + " bytes");
      ByteBuf buf = ((BufferInternal) f).getByteBuf();
      assertTrue(buf.hasArray(), "each frame is one array, not a joined buffer");
    }
    // the header and the first small chunks are copied together; every chunk from 64 KiB on goes as it is
    assertTrue(frames.get(0).length() <= Fragments.MERGE_BYTES);
    assertTrue(frames.size() <= 1 + 5 + 3 + 1, frames.size() + " frames");
  }

  @Test
  void aContiguousMessageIsCutEveryMib() {
    byte[] bytes = new byte[2 * Fragments.MAX_FRAME_BYTES + 1];
    Buffer message = BufferInternal.buffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes));

    List<Buffer> frames = Fragments.split(message);

    assertEquals(List.of(Fragments.MAX_FRAME_BYTES, Fragments.MAX_FRAME_BYTES, 1),
        frames.stream().map(Buffer::length).toList());
    assertSame(bytes, ((BufferInternal) frames.get(1)).getByteBuf().array(), "a view of the array, not a copy");
  }

  @Test
  void anEmptyMessageIsOneEmptyFrame() {
    assertEquals(List.of(0), Fragments.split(Buffer.buffer(0)).stream().map(Buffer::length).toList());
  }

  @Test
  void aLargeJoinedMessageArrivesWholeOverAMaskingClient() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BlockingQueue<Buffer> received = new LinkedBlockingQueue<>();
      List<Integer> frameSizes = new ArrayList<>();
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(1024 * 1024)
              .setMaxWebSocketMessageSize(8 * 1024 * 1024))
          .webSocketHandler(s -> {
            Buffer message = Buffer.buffer();
            s.frameHandler(f -> {
              frameSizes.add(f.binaryData().length());
              message.appendBuffer(f.binaryData());
              if (f.isFinal()) {
                received.add(message);
              }
            });
          });
      await(server.listen(0, "127.0.0.1"));
      // held until the end: Vert.x closes a client nothing refers to any more, and its connections with it
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1024 * 1024));
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
          .setPort(server.actualPort()).setURI("/")));
      byte[] bytes = new byte[5 * 1024 * 1024 + 3];
      Buffer message = largeResult(bytes.length, bytes);
      CompletableFuture<Future<Void>> written = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> written.complete(Fragments.write(ws, message)));
      await(written.get(30, TimeUnit.SECONDS));
      Buffer arrived = received.poll(30, TimeUnit.SECONDS);

      assertNotNull(arrived, "no message within 30 s");
      Frame frame = Frame.decode(arrived);
      assertEquals(7L, ((Result) frame.header()).taskId());
      assertEquals(message, arrived);
      assertTrue(frameSizes.size() > 5 && frameSizes.stream().allMatch(n -> n <= 1024 * 1024), frameSizes.toString());
      byte[] serialized = frame.payload().getBytes();
      assertArrayEquals(bytes, serialized);
      await(client.close());
    } finally {
      await(vertx.close());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
