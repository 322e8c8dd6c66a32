package io.antpool.task.impl;

import io.antpool.protocol.impl.Buffers;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An output stream that keeps what is written in chunks and hands it over as one {@link Buffer} without copying
 * it: a {@code ByteArrayOutputStream} copies everything written each time it doubles, and once more in
 * {@code toByteArray}, about three copies of a large serialized result before it reaches the socket.
 *
 * <p>Chunks start small (most results are a few bytes) and double up to {@link #MAX_CHUNK}, so a small result is
 * one small array and a large one wastes at most one chunk. Not thread-safe; one writer, then {@link #toBuffer}.
 */
public final class ChunkedOutput extends OutputStream {
  static final int FIRST_CHUNK = 256;
  static final int MAX_CHUNK = 1024 * 1024;
  private final List<byte[]> full = new ArrayList<>();
  private byte[] chunk = new byte[FIRST_CHUNK];
  private int used;

  @Override
  public void write(int b) {
    if (used == chunk.length) {
      next();
    }
    chunk[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (used == chunk.length) {
        next();
      }
      int n = Math.min(len, chunk.length - used);
      System.arraycopy(b, off, chunk, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  private void next() {
    full.add(chunk);
    chunk = new byte[Math.min(chunk.length * 2, MAX_CHUNK)];
    used = 0;
  }

  /**
   * Everything written, as one buffer over the chunks themselves; write nothing more afterwards, since the
   * buffer shares the chunks.
   */
  public Buffer toBuffer() {
    List<Buffer> parts = new ArrayList<>(full.size() + 1);
    for (byte[] c : full) {
      parts.add(BufferInternal.buffer(Unpooled.wrappedBuffer(c)));
    }
    parts.add(BufferInternal.buffer(Unpooled.wrappedBuffer(chunk, 0, used)));
    return Buffers.join(parts);
  }
}
