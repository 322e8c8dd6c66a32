package io.antpool.protocol.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code antpool.v2} frames to one WebSocket, coalescing the small frames written in one event-loop turn,
 * or in tasks queued behind each other on the socket's event loop, into one {@link FrameBatch} message: one
 * write system call, one flush and one wake-up of the reader for the lot, instead of one each.
 *
 * <p>When the first frame becomes pending, a flush is queued on the socket's context ({@code runOnContext}): it
 * runs once the tasks already queued have run, so a lone frame waits at most one task on its own event loop,
 * never a timer. A single pending frame is sent as it is, without a batch around it. A frame of
 * {@link FrameBatch#MAX_ENTRY_BYTES} or more is sent alone, after the frames pending before it; so is a batch
 * that would grow past {@link FrameBatch#MAX_BATCH_BYTES}. Frames leave in the order they were written.
 *
 * <p>Every frame's future completes, or fails, with the write of the message that carried it (for frames in one
 * batch, the same future): it completes once the message went to the operating system, as
 * {@link WebSocketBase#writeBinaryMessage}'s does.
 *
 * <p>Confined to the socket's context: a {@link #write} from another thread hops onto it first (it is then
 * ordered after the writes already made there). Whoever closes the socket calls {@link #flush} first, or the
 * close frame would overtake the pending frames (they would then fail, with the socket's write error).
 */
public final class BatchWriter {
  private final ContextInternal context;
  private final WebSocketBase ws;
  private final Runnable afterWrite;
  private final List<Buffer> pending = new ArrayList<>();
  private int pendingBytes;
  /** Completed with the write of the pending frames; null when none is pending. */
  private Promise<Void> pendingWritten;
  private boolean flushQueued;

  /**
   * @param context the socket's context (where its handlers run)
   * @param afterWrite runs on the context after every message handed to the socket (e.g. to watch its write
   *     queue); may be a no-op
   */
  public BatchWriter(Context context, WebSocketBase ws, Runnable afterWrite) {
    this.context = (ContextInternal) context;
    this.ws = ws;
    this.afterWrite = afterWrite;
  }

  /**
   * Writes {@code frame} (an encoded frame, never a batch) now or at the end of this turn, coalesced with the
   * frames written meanwhile.
   *
   * @return completes when the message carrying the frame went to the operating system; fails as its write does
   */
  public Future<Void> write(Buffer frame) {
    if (!context.inThread()) {
      Promise<Void> written = context.promise();
      context.runOnContext(v -> write(frame).onComplete(written));
      return written.future();
    }
    int length = frame.length();
    if (!FrameBatch.admits(length)) {
      flush();
      return send(frame);
    }
    if (!pending.isEmpty() && FrameBatch.size(pending.size() + 1, pendingBytes + length) > FrameBatch.MAX_BATCH_BYTES) {
      flush();
    }
    if (pending.isEmpty()) {
      pendingWritten = context.promise();
      if (!flushQueued) {
        flushQueued = true;
        context.runOnContext(v -> {
          flushQueued = false;
          flush();
        });
      }
    }
    pending.add(frame);
    pendingBytes += length;
    return pendingWritten.future();
  }

  /** Sends the pending frames now (off the socket's context: as soon as it runs there): one alone, several as a batch. */
  public void flush() {
    if (!context.inThread()) {
      context.runOnContext(v -> flush());
      return;
    }
    if (pending.isEmpty()) {
      return;
    }
    Buffer message = pending.size() == 1 ? pending.get(0) : FrameBatch.encode(pending);
    Promise<Void> written = pendingWritten;
    pending.clear();
    pendingBytes = 0;
    pendingWritten = null;
    send(message).onComplete(written);
  }

  private Future<Void> send(Buffer message) {
    // a large message goes out in frames cut along its own arrays, never copied into one: see Fragments
    Future<Void> written = message.length() < FrameCodec.JOIN_PAYLOAD_BYTES ? ws.writeBinaryMessage(message)
        : Fragments.write(ws, message);
    afterWrite.run();
    return written;
  }
}
