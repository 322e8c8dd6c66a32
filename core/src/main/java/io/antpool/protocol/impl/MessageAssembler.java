package io.antpool.protocol.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins a peer's WebSocket frames into messages, never holding more than {@code maxBytes} of one: the fragment
 * that would take a message past the limit is reported as {@link Sink#tooBig} instead of being appended, and
 * everything after it is ignored (the connection is about to close). Text messages, which {@code antpool.v2}
 * does not use, are counted and reported at their end without being buffered at all.
 *
 * <p>Every {@code antpool.v2} receiver uses it (the server, task clients, workers; see {@link ServerMessages}):
 * Vert.x's own aggregation (behind {@code binaryMessageHandler}) copies a message several times over as it grows
 * (about 180 MiB allocated for a 32 MiB message), and drops an oversized message but goes on reading its
 * remaining fragments as if they began a new one, telling only the exception handler. Confined to the socket's
 * context.
 *
 * <p>The fragments are kept as they came and joined once, without copying, when the last one arrives (see
 * {@link Buffers#join}): appending each to one growing buffer copied a 32 MiB message about five times over.
 * Holding a frame's data is safe: Vert.x hands each frame its own heap copy (never a pooled buffer Netty reuses).
 */
public final class MessageAssembler {
  /** Where assembled messages go. */
  public interface Sink {
    /** A complete binary message (an AntPool frame, not yet decoded). */
    void binary(Buffer message);

    /** A complete text message of {@code bytes} bytes, discarded. */
    void text(long bytes);

    /**
     * A message of at least {@code bytes} bytes exceeded the limit; nothing more will be reported.
     *
     * @param head for a binary message, what came of it: every fragment up to and with the one that passed the
     *     limit (so it holds the message's AntPool header whenever its first fragments do), joined without
     *     copying, to read before returning; null for a text message, which is not kept
     */
    void tooBig(long bytes, Buffer head);
  }

  private final int maxBytes;
  private final Sink sink;
  /** The fragments of the binary message under way, or null when none is. */
  private List<Buffer> binary;
  /** Their total size. */
  private long binaryBytes;
  private long textBytes = -1;
  private boolean overflowed;

  public MessageAssembler(int maxBytes, Sink sink) {
    this.maxBytes = maxBytes;
    this.sink = sink;
  }

  /** Takes the socket's next frame: the socket's {@code frameHandler}. */
  public void onFrame(WebSocketFrame frame) {
    if (overflowed) {
      return;
    }
    if (frame.isBinary()) {
      textBytes = -1;
      binary = new ArrayList<>(frame.isFinal() ? 1 : 16);
      binaryBytes = 0;
      append(frame);
    } else if (frame.isText()) {
      binary = null;
      textBytes = 0;
      append(frame);
    } else if (frame.isContinuation() && (binary != null || textBytes >= 0)) {
      append(frame);
    }
    // ping, pong and close frames are Vert.x's business; a stray continuation is refused by Netty's decoder
  }

  private void append(WebSocketFrame frame) {
    Buffer data = frame.binaryData();
    long size = (binary != null ? binaryBytes : textBytes) + data.length();
    if (size > maxBytes) {
      overflowed = true;
      Buffer head = null;
      if (binary != null) {
        binary.add(data);
        head = Buffers.join(binary);
        binary = null;
      }
      sink.tooBig(size, head);
      return;
    }
    if (binary != null) {
      binary.add(data);
      binaryBytes = size;
      if (frame.isFinal()) {
        Buffer message = Buffers.join(binary);
        binary = null;
        sink.binary(message);
      }
    } else {
      textBytes = size;
      if (frame.isFinal()) {
        textBytes = -1;
        sink.text(size);
      }
    }
  }
}
