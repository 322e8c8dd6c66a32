package io.antpool.protocol.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.List;

/**
 * Joins buffers without copying their bytes, so a large payload crosses the server and the codec once instead
 * of once per step. The joined buffer is a read-only view in practice: the parts must not change afterwards
 * (every caller hands over parts it no longer writes: received WebSocket frames, a freshly encoded header, a
 * decoded payload), and nobody appends to the result.
 *
 * <p>Safe with Vert.x's reference counting: the parts are Vert.x heap buffers, whose release is a no-op, or
 * unreleasable views of other buffers ({@code BufferInternal.getByteBuf()} gives both), so neither Netty's write
 * (which releases what it has written) nor Vert.x's event bus (which copies a {@link Buffer} body) can free a
 * part another holder still reads. The composite is heap-backed ({@code direct} false), so a copy of it is a heap
 * buffer too.
 */
public final class Buffers {
  private Buffers() {
  }

  /** The parts one after the other; a single part is returned as it is. */
  public static Buffer join(List<Buffer> parts) {
    if (parts.isEmpty()) {
      return Buffer.buffer(0);
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    ByteBuf[] bufs = new ByteBuf[parts.size()];
    for (int i = 0; i < bufs.length; i++) {
      bufs[i] = ((BufferInternal) parts.get(i)).getByteBuf();
    }
    // maxNumComponents = the count, so Netty never consolidates (copies) the components into one array
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bufs.length, bufs));
  }

  /** {@code first} then {@code second}, as {@link #join}. */
  public static Buffer join(Buffer first, Buffer second) {
    return join(List.of(first, second));
  }
}
