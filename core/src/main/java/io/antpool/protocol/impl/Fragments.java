package io.antpool.protocol.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one binary message as WebSocket frames cut along the arrays it is made of, instead of letting Vert.x cut
 * it every {@link #MAX_FRAME_BYTES}: a message joined without copying ({@link Buffers#join}: a header and a
 * serialized result's chunks, or a payload forwarded as it came) then crosses the socket without ever being made
 * contiguous.
 *
 * <p>Why it matters: what a WebSocket client (worker, task client) sends is masked by Netty, which reads the data
 * eight bytes at a time, several times slower through a joined buffer than from one array (about 90 against
 * 40 ms for 32 MiB). Workers used to copy a large result into one array first: 32 MiB more, allocated outside the
 * young generation, per 32 MiB result. Each frame here is one array or a part of one, so the masking reads arrays
 * and nothing is copied, except runs of small parts (the message's header, a serialized value's first small
 * chunks), which are copied together into frames of up to {@link #MERGE_BYTES}.
 *
 * <p>The parts must be heap buffers (every AntPool message is) and must not change until the write completed.
 * Called on the socket's context, the frames of one message leave back to back, never interleaved with another
 * write.
 */
public final class Fragments {
  /** The largest frame sent; every AntPool peer accepts frames of 1 MiB (see {@link Dialer}). */
  public static final int MAX_FRAME_BYTES = 1024 * 1024;
  /** Parts smaller than this are copied together into one frame of at most this size, rather than sent alone. */
  static final int MERGE_BYTES = 64 * 1024;

  private Fragments() {
  }

  /** Writes {@code message} to {@code ws} as one binary message; completes with the write of its last frame. */
  public static Future<Void> write(WebSocketBase ws, Buffer message) {
    List<Buffer> frames = split(message);
    Future<Void> written = null;
    for (int i = 0, n = frames.size(); i < n; i++) {
      boolean last = i == n - 1;
      written = ws.writeFrame(i == 0 ? WebSocketFrame.binaryFrame(frames.get(i), last)
          : WebSocketFrame.continuationFrame(frames.get(i), last));
    }
    return written;
  }

  /**
   * The data of the frames {@code message} is sent in, in order: each at most {@link #MAX_FRAME_BYTES}, and each
   * one array (or part of one), not a copy, unless it holds small parts copied together. An empty message is one
   * empty frame.
   */
  static List<Buffer> split(Buffer message) {
    ByteBuf whole = ((BufferInternal) message).getByteBuf();
    ByteBuffer[] parts = whole.nioBuffers(whole.readerIndex(), whole.readableBytes());
    List<Buffer> frames = new ArrayList<>(parts.length);
    for (int i = 0; i < parts.length; ) {
      int size = parts[i].remaining();
      if (size >= MERGE_BYTES) {
        ByteBuf array = Unpooled.wrappedBuffer(parts[i++]);
        for (int at = 0; at < size; at += MAX_FRAME_BYTES) {
          frames.add(BufferInternal.buffer(array.slice(at, Math.min(MAX_FRAME_BYTES, size - at))));
        }
        continue;
      }
      // a run of small parts, copied into one frame of exactly their size (at most MERGE_BYTES)
      int end = i;
      int runBytes = 0;
      while (end < parts.length && parts[end].remaining() < MERGE_BYTES
          && runBytes + parts[end].remaining() <= MERGE_BYTES) {
        runBytes += parts[end++].remaining();
      }
      if (runBytes > 0) {
        byte[] merged = new byte[runBytes];
        for (int at = 0; i < end; i++) {
          int n = parts[i].remaining();
          parts[i].get(merged, at, n);
          at += n;
        }
        frames.add(BufferInternal.buffer(Unpooled.wrappedBuffer(merged)));
      }
      i = end;
    }
    if (frames.isEmpty()) {
      frames.add(Buffer.buffer(0));
    }
    return frames;
  }
}
