package io.antpool.protocol;

import io.antpool.protocol.impl.FrameCodec;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * One protocol unit: a small header and raw payload bytes. On the wire (a binary WebSocket message, or
 * an event-bus {@link Buffer} body) it is laid out as
 *
 * <pre>
 *   int32 big-endian  header length H
 *   H bytes           header: a {@link Message}, as UTF-8 JSON, or for the messages every task makes
 *                     (submit, dispatch, result) in a compact binary form whose first byte is its tag
 *   rest              payload, opaque bytes (never base64)
 * </pre>
 *
 * <p>On a WebSocket, several small frames may share one message: see {@link io.antpool.protocol.impl.FrameBatch}.
 *
 * @param header the message
 * @param payload the payload, never null (empty when the message has none)
 */
public record Frame(Message header, Buffer payload) {

  public Frame {
    if (header == null) {
      throw new IllegalArgumentException("a frame needs a header message");
    }
    if (payload == null) {
      payload = Buffer.buffer(0);
    }
  }

  public static Frame of(Message header) {
    return new Frame(header, Buffer.buffer(0));
  }

  /**
   * A frame whose payload is {@code payload} itself, not a copy (a serialized task, class or result can be large):
   * do not change the array afterwards.
   */
  public static Frame of(Message header, byte[] payload) {
    return new Frame(header, BufferInternal.buffer(Unpooled.wrappedBuffer(payload)));
  }

  /** Encodes this frame to its wire form. */
  public Buffer encode() {
    return FrameCodec.encode(this);
  }

  /**
   * Decodes a frame from its wire form.
   *
   * @throws ProtocolException with {@link ErrorCode#BAD_FRAME} naming what is wrong
   */
  public static Frame decode(Buffer wire) {
    return FrameCodec.decode(wire);
  }
}
