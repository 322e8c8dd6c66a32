package io.antpool.protocol.impl;

import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;

/**
 * How a task client and a worker receive what the server sends them: the WebSocket's frames are joined into
 * messages by a {@link MessageAssembler}, as the server joins its peers' (no copy of a large result or task, where
 * Vert.x's {@code binaryMessageHandler} allocated about 180 MiB to assemble one of 32 MiB), and each frame tells the
 * {@link Heartbeat} the server is alive, so a long message never looks like silence.
 *
 * <p>A message over the limit is not buffered. Vert.x's aggregation dropped it, told only the exception handler,
 * and read its remaining fragments as new messages; here it is reported once, with its header when its first
 * fragments held it (so the receiver can name the task it concerned), and nothing more comes from the socket: the
 * receiver must close it and reconnect. Text messages, which an {@code antpool.v2} server never sends, are dropped
 * unread, as they were before.
 */
public final class ServerMessages {
  /**
   * The most a task client or a worker accepts in one message from the server: the ceiling of every server's
   * {@code maxFrameBytes} (a server forwards only what it accepted, under a header of its own).
   */
  public static final int MAX_BYTES = Protocol.MAX_FRAME_BYTES;

  private ServerMessages() {
  }

  /**
   * Receives {@code ws}'s messages, of at most {@code maxBytes} each: every whole binary message goes to
   * {@code onMessage}, and the first one over the limit to {@code onTooBig}, after which nothing more is
   * delivered. Call it on the socket's context, before the socket's first message can arrive.
   */
  public static void receive(WebSocketBase ws, int maxBytes, Heartbeat heartbeat, Handler<Buffer> onMessage,
      Handler<OversizedMessage> onTooBig) {
    MessageAssembler messages = new MessageAssembler(maxBytes, new MessageAssembler.Sink() {
      @Override
      public void binary(Buffer message) {
        onMessage.handle(message);
      }

      @Override
      public void text(long bytes) {
        // not antpool.v2: dropped, as Vert.x's binaryMessageHandler dropped it
      }

      @Override
      public void tooBig(long bytes, Buffer head) {
        onTooBig.handle(new OversizedMessage(bytes, maxBytes, head == null ? null : headerOf(head)));
      }
    });
    ws.frameHandler(heartbeat.hearingFrames(messages::onFrame));
  }

  private static Message headerOf(Buffer head) {
    try {
      return FrameCodec.decodeHeader(head);
    } catch (ProtocolException unreadable) {
      return null; // reported without a task: the caller still closes the connection
    }
  }
}
