package io.antpool.server.impl;

import io.antpool.protocol.impl.Buffers;
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
 * <p>Vert.x's own aggregation (behind {@code binaryMessageHandler}) drops an oversized message but goes on
 * reading its remaining fragments as if they began a new one, and tells only the exception handler; so the
 * server reads raw frames and assembles them here. Confined to the socket's context.
 *
 * <p>The fragments are kept as they came and joined once, without copying, when the last one arrives (see
 * {@link Buffers#join}): appending each to one growing buffer copied a 32 MiB message about five times over.
 * Holding a frame's data is safe: Vert.x hands each frame its own heap copy (never a pooled buffer Netty reuses).
 */
final class MessageAssembler {
  /** Where assembled messages go. */
  interface Sink {
    /** A complete binary message (an AntPool frame, not yet decoded). */
    void binary(Buffer message);

    /** A complete text message of {@code bytes} bytes, discarded. */
    void text(long bytes);

    /** A message of at least {@code bytes} bytes exceeded the limit; nothing more will be reported. */
    void tooBig(long bytes);
  }

  private final int maxBytes;
  private final Sink sink;
  /** The fragments of the binary message under way, or null when none is. */
  private List<Buffer> binary;
  /** Their total size. */
  private long binaryBytes;
  private long textBytes = -1;
  private boolean overflowed;

  MessageAssembler(int maxBytes, Sink sink) {
    this.maxBytes = maxBytes;
    this.sink = sink;
  }

  void onFrame(WebSocketFrame frame) {
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
      binary = null;
      sink.tooBig(size);
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
